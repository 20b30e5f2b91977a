package com.example.purchases.dashboard.flow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flow as Kafka has it, read back through {@code /api/flow}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "dashboard.refresh-interval=200ms")
@EmbeddedKafka(partitions = 6, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		topics = { "purchases.completed", "purchases.completed.purchase-history.dlt", "stock.replenishment-requested" })
@AutoConfigureRestTestClient
class EventFlowTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Value("${spring.kafka.bootstrap-servers}")
	String brokers;

	@Autowired
	RestTestClient http;

	@Test
	void showsThePublishedCountTheGroupsTheirLagTheDeadLettersAndTheLatestReplenishments() throws Exception {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
			for (int i = 0; i < 10; i++) {
				producer.send(new ProducerRecord<>("purchases.completed", 0, "c-" + i, "{}")).get();
			}
			producer.send(new ProducerRecord<>("purchases.completed.purchase-history.dlt", 0, "c-1", "not json")).get();
			producer.send(new ProducerRecord<>("purchases.completed.purchase-history.dlt", 1, "c-2", "not json")).get();
			producer.send(new ProducerRecord<>("stock.replenishment-requested", "SKU-9", """
					{"replenishmentId": "3f2e1d0c-9b8a-4765-a4b3-c2d1e0f9a8b7", "sku": "SKU-9", "quantity": 100,
					 "onHand": -3, "requestedAt": "2026-11-26T22:01:02.345Z"}""")).get();
		}
		// A group that has read 4 of the 10 records and has no member now.
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			admin.alterConsumerGroupOffsets("behind",
					Map.of(new TopicPartition("purchases.completed", 0), new OffsetAndMetadata(4)))
				.all()
				.get();
		}
		// A group with a live member, which holds all six partitions.
		try (KafkaConsumer<String, String> member = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.brokers, ConsumerConfig.GROUP_ID_CONFIG, "live", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				StringDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
			member.subscribe(List.of("purchases.completed"));
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				member.poll(Duration.ofMillis(100));
				return member.assignment().size() == 6;
			});

			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				JsonNode flow = flow();
				assertThat(flow.get("problem").isNull()).isTrue();
				assertThat(flow.get("published").get("total").asLong()).isEqualTo(10);
				JsonNode live = group(flow, "live");
				assertThat(live.get("members")).hasSize(1);
				assertThat(live.get("members").get(0).get("partitions")).hasSize(6);
				assertThat(live.get("partitions").valueStream().map((p) -> p.get("memberId").asString()).distinct())
					.containsExactly(live.get("members").get(0).get("memberId").asString());
				JsonNode behind = group(flow, "behind");
				assertThat(behind.get("members")).isEmpty();
				assertThat(behind.get("lag").asLong()).isEqualTo(6);
				assertThat(behind.get("partitions").get(0).get("committed").asLong()).isEqualTo(4);
				assertThat(behind.get("partitions").get(0).get("memberId").isNull()).isTrue();
				assertThat(flow.get("deadLetters").toString())
					.isEqualTo("[{\"topic\":\"purchases.completed.purchase-history.dlt\",\"records\":2}]");
				assertThat(flow.get("replenishments")).singleElement().satisfies((order) -> {
					assertThat(order.get("sku").asString()).isEqualTo("SKU-9");
					assertThat(order.get("onHand").asLong()).isEqualTo(-3);
				});
			});
		}
	}

	@Test
	void servesThePage() {
		String page = this.http.get().uri("/").exchange().expectStatus().isOk().expectBody(String.class).returnResult()
			.getResponseBody();
		assertThat(page).contains("Purchase event flow", "app.js");
		this.http.get().uri("/app.js").exchange().expectStatus().isOk();
	}

	private JsonNode flow() {
		byte[] body = this.http.get().uri("/api/flow").exchange().expectStatus().isOk().expectBody(byte[].class)
			.returnResult().getResponseBody();
		return this.json.readTree(new String(body, StandardCharsets.UTF_8));
	}

	private static JsonNode group(JsonNode flow, String name) {
		return flow.get("groups")
			.valueStream()
			.filter((group) -> group.get("group").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no group " + name + " in " + flow.get("groups")));
	}

}
