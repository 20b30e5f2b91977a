package com.example.purchases.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * {@code contracts/asyncapi.yaml} against itself and against the code: it parses, every
 * reference in it resolves (the payload schemas are the contract's JSON Schema files), and the
 * topics, consumer groups and dead-letter topics it names are the ones the services declare, no
 * more and no fewer. A subscriber added without its place in the contract, or a topic renamed in
 * one and not the other, fails the build.
 */
class AsyncApiContractTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static Map<String, Object> asyncApi;

	/** Each subscriber's {@code subscriber.group} and {@code subscriber.topic}, by module. */
	private static final Map<String, Map<String, String>> subscribers = new LinkedHashMap<>();

	@BeforeAll
	static void read() throws IOException {
		asyncApi = new Yaml().load(Docs.read("contracts/asyncapi.yaml"));
		for (Path module : Docs.modules().toList()) {
			Path config = module.resolve("src/main/resources/application.yml");
			if (!Files.exists(config)) {
				continue;
			}
			for (Object document : new Yaml().loadAll(Files.readString(config))) {
				Object subscriber = (document instanceof Map<?, ?> map) ? map.get("subscriber") : null;
				if (subscriber instanceof Map<?, ?> settings && settings.get("group") != null) {
					subscribers.put(module.getFileName().toString(),
							Map.of("group", (String) settings.get("group"), "topic", (String) settings.get("topic")));
				}
			}
		}
	}

	@Test
	void isAsyncApi3AndEveryReferenceResolves() {
		assertThat(asyncApi.get("asyncapi")).asString().startsWith("3.");
		List<String> refs = new ArrayList<>();
		collectRefs(asyncApi, refs);
		assertThat(refs).as("references in asyncapi.yaml").isNotEmpty();
		assertSoftly((softly) -> refs.forEach((ref) -> {
			if (ref.startsWith("#/")) {
				softly.assertThat(resolve(ref)).as("%s resolves in asyncapi.yaml", ref).isNotNull();
			}
			else {
				Path schema = Docs.root().resolve("contracts").resolve(ref).normalize();
				softly.assertThat(schema).as("%s is a file of contracts/", ref).exists();
				if (Files.exists(schema)) {
					JsonNode json = JSON.readTree(schema.toFile());
					softly.assertThat(json.path("$schema").asString())
						.as("%s is a JSON Schema 2020-12", ref)
						.isEqualTo("https://json-schema.org/draft/2020-12/schema");
				}
			}
		}));
	}

	@Test
	void everyMessageHasAPayloadSchema() {
		Map<String, Object> messages = map(map(asyncApi.get("components")).get("messages"));
		assertThat(messages).isNotEmpty();
		messages.forEach((name, message) -> assertThat(map(message).get("payload")).as("payload of %s", name)
			.isNotNull());
	}

	@Test
	void everySubscriberOfTheCodeReceivesItsTopicUnderItsGroupWithItsOwnDeadLetterTopic() {
		assertThat(subscribers).as("subscriber modules found by their subscriber.group")
			.containsKeys("purchase-history-subscriber", "stock-replenishment-subscriber",
					"purchase-notification-subscriber");
		Map<String, String> receivedByGroup = new LinkedHashMap<>();
		map(asyncApi.get("operations")).values().stream().map(AsyncApiContractTests::map).forEach((operation) -> {
			if ("receive".equals(operation.get("action"))) {
				Map<String, Object> kafka = map(map(operation.get("bindings")).get("kafka"));
				String group = (String) map(kafka.get("groupId")).get("const");
				receivedByGroup.put(group, address(operation));
			}
		});
		Set<String> groups = new TreeSet<>();
		subscribers.values().forEach((subscriber) -> groups.add(subscriber.get("group")));
		assertSoftly((softly) -> {
			softly.assertThat(receivedByGroup.keySet()).as("the receiving groups in asyncapi.yaml").isEqualTo(groups);
			subscribers.values().forEach((subscriber) -> {
				softly.assertThat(receivedByGroup.get(subscriber.get("group")))
					.as("the channel group %s receives", subscriber.get("group"))
					.isEqualTo(subscriber.get("topic"));
				softly.assertThat(addresses())
					.as("the dead-letter topic of %s", subscriber.get("group"))
					.contains(subscriber.get("topic") + "." + subscriber.get("group") + ".dlt");
			});
		});
	}

	@Test
	void everyChannelIsATopicTheCodeDeclares() throws IOException {
		Set<String> declared = new TreeSet<>();
		declared.add(defaultOf("purchase-publisher", "purchases.topic.name"));
		declared.add(defaultOf("stock-replenishment-subscriber", "stock.replenishment-topic"));
		subscribers.values().forEach((subscriber) -> {
			declared.add(subscriber.get("topic"));
			declared.add(subscriber.get("topic") + "." + subscriber.get("group") + ".dlt");
		});
		assertThat(addresses()).isEqualTo(declared);
		map(asyncApi.get("channels")).forEach((name, channel) -> {
			Map<String, Object> kafka = map(map(map(channel).get("bindings")).get("kafka"));
			assertThat(kafka.get("topic")).as("the Kafka binding of %s", name).isEqualTo(map(channel).get("address"));
		});
	}

	private static Set<String> addresses() {
		Set<String> addresses = new TreeSet<>();
		map(asyncApi.get("channels")).values().forEach((channel) -> addresses.add((String) map(channel).get("address")));
		return addresses;
	}

	private static String address(Map<String, Object> operation) {
		return (String) map(resolve((String) map(operation.get("channel")).get("$ref"))).get("address");
	}

	/** A default written into a module's configuration metadata by its build. */
	private static String defaultOf(String module, String property) throws IOException {
		JsonNode metadata = JSON.readTree(Docs.root()
			.resolve(module)
			.resolve("target/classes/META-INF/spring-configuration-metadata.json")
			.toFile());
		for (JsonNode candidate : metadata.path("properties")) {
			if (candidate.path("name").asString().equals(property)) {
				return candidate.path("defaultValue").asString();
			}
		}
		throw new AssertionError(module + " declares no " + property);
	}

	private static Object resolve(String pointer) {
		Object node = asyncApi;
		for (String part : pointer.substring(2).split("/")) {
			if (!(node instanceof Map<?, ?> map)) {
				return null;
			}
			node = map.get(part.replace("~1", "/").replace("~0", "~"));
		}
		return node;
	}

	private static void collectRefs(Object node, List<String> refs) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				if ("$ref".equals(key)) {
					refs.add((String) value);
				}
				else {
					collectRefs(value, refs);
				}
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach((item) -> collectRefs(item, refs));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		assertThat(node).as("a mapping in asyncapi.yaml").isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}

}
