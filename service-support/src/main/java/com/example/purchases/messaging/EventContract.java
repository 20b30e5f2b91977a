package com.example.purchases.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.core.io.ClassPathResource;

/**
 * The topics of the event contract, as {@code contracts/asyncapi.yaml} (packaged on the
 * classpath under {@code contracts/}) declares them: the one place that says how many
 * partitions a topic has, so that a service that declares a topic, or a group's dead-letter
 * topic, never guesses.
 */
public final class EventContract {

	private static final String LOCATION = "contracts/asyncapi.yaml";

	private static volatile Map<String, Integer> partitions;

	private EventContract() {
	}

	/**
	 * @param topic a topic of the contract, such as {@code purchases.completed}
	 * @return its partition count ({@code bindings.kafka.partitions} of its channel)
	 * @throws IllegalStateException if the contract has no channel at that address
	 */
	public static int partitionsOf(String topic) {
		Integer count = partitions().get(topic);
		if (count == null) {
			throw new IllegalStateException("The contract (" + LOCATION + ") declares no topic '" + topic
					+ "' with a partition count; it declares " + partitions().keySet());
		}
		return count;
	}

	private static Map<String, Integer> partitions() {
		Map<String, Integer> loaded = partitions;
		if (loaded == null) {
			loaded = load();
			partitions = loaded;
		}
		return loaded;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Integer> load() {
		try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
			Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			Map<String, Integer> topics = new LinkedHashMap<>();
			Map<String, Object> channels = (Map<String, Object>) document.getOrDefault("channels", Map.of());
			channels.values().forEach((channel) -> {
				Map<String, Object> attributes = (Map<String, Object>) channel;
				Map<String, Object> bindings = (Map<String, Object>) attributes.getOrDefault("bindings", Map.of());
				Map<String, Object> kafka = (Map<String, Object>) bindings.getOrDefault("kafka", Map.of());
				if (attributes.get("address") instanceof String address && kafka.get("partitions") instanceof Integer count) {
					topics.put(address, count);
				}
			});
			return Map.copyOf(topics);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the event contract " + LOCATION, ex);
		}
	}

}
