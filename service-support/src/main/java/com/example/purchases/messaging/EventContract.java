package com.example.purchases.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.core.io.ClassPathResource;

/**
 * The topics of the event contract, as {@code contracts/asyncapi.yaml} (packaged on the
 * classpath under {@code contracts/}) declares them: the one place that says how many
 * partitions a topic has, so that a service that declares a topic, or a group's dead-letter
 * topic, never guesses; and the examples of its messages.
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

	/**
	 * @param type a {@code ce_type} of the contract, such as
	 * {@code com.example.purchase.completed.v1}
	 * @return the first example of the message of that type (its headers and its payload), if
	 * the contract gives one
	 */
	@SuppressWarnings("unchecked")
	public static Optional<Example> exampleOf(String type) {
		Map<String, Object> components = (Map<String, Object>) read().getOrDefault("components", Map.of());
		Map<String, Object> messages = (Map<String, Object>) components.getOrDefault("messages", Map.of());
		for (Object message : messages.values()) {
			List<Object> examples = (List<Object>) ((Map<String, Object>) message).getOrDefault("examples", List.of());
			for (Object each : examples) {
				Map<String, Object> example = (Map<String, Object>) each;
				Map<String, Object> headers = (Map<String, Object>) example.getOrDefault("headers", Map.of());
				if (type.equals(headers.get(CloudEvent.TYPE_HEADER)) && example.get("payload") instanceof Map<?, ?> payload) {
					Map<String, String> texts = new LinkedHashMap<>();
					headers.forEach((name, value) -> texts.put(name, String.valueOf(value)));
					return Optional.of(new Example(texts, (Map<String, Object>) payload));
				}
			}
		}
		return Optional.empty();
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
		Map<String, Object> document = read();
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

	private static Map<String, Object> read() {
		try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
			return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the event contract " + LOCATION, ex);
		}
	}

	/**
	 * An example message of the contract.
	 *
	 * @param headers its record headers (the CloudEvents attributes), as text
	 * @param payload its value, as YAML read it
	 */
	public record Example(Map<String, String> headers, Map<String, Object> payload) {
	}

}
