package com.example.purchases.publisher.purchase;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.messaging.EventSchema;
import com.example.purchases.testing.OpenApiDocuments;
import com.example.purchases.testing.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher against a real (embedded KRaft) broker: what a POST puts on the topic.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@AutoConfigureRestTestClient
class PurchasePublishingTests {

	private static final String TOPIC = "purchases.completed";

	private static final EventSchema schema = EventSchema.load("purchase-completed.v1.schema.json");

	private final JsonMapper json = JsonMapper.builder().build();

	@Value("${spring.kafka.bootstrap-servers}")
	String brokers;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	RestTestClient http;

	TopicProbe topic;

	@BeforeEach
	void checkoutAndTopic() {
		this.http = TestIssuer.get().authorize(this.http, "purchases:write");
		this.topic = new TopicProbe(this.brokers, TOPIC);
	}

	@AfterEach
	void closeProbe() {
		this.topic.close();
	}

	@Test
	void publishesOneRecordKeyedByCustomerWithTheCloudEventsHeaders() {
		JsonNode accepted = place("c-42", null, "BRL", "{\"sku\": \"SKU-1\", \"quantity\": 2, \"unitPrice\": 19.90}");

		List<ConsumerRecord<String, byte[]>> records = this.topic.await(2, Duration.ofSeconds(2));
		assertThat(records).hasSize(1);
		ConsumerRecord<String, byte[]> record = records.get(0);
		assertThat(record.key()).isEqualTo("c-42");
		assertThat(headers(record)).containsKey("traceparent");
		Map<String, String> cloudEvent = new java.util.HashMap<>(headers(record));
		cloudEvent.remove("traceparent");
		assertThat(cloudEvent).containsExactlyInAnyOrderEntriesOf(Map.of("ce_specversion", "1.0", "ce_id",
				accepted.get("eventId").asString(), "ce_source", "/purchase-publisher", "ce_type",
				"com.example.purchase.completed.v1", "ce_time", accepted.get("occurredAt").asString(), "ce_subject",
				accepted.get("purchaseId").asString(), "content-type", "application/json"));
		assertThat(record.timestamp()).isEqualTo(java.time.Instant.parse(accepted.get("occurredAt").asString())
			.toEpochMilli());
	}

	@Test
	void publishesTheEventOfTheContractWithTheTotalItComputed() {
		JsonNode accepted = place("c-7", null, "BRL", "{\"sku\": \"SKU-1\", \"quantity\": 2, \"unitPrice\": 19.9}",
				"{\"sku\": \"SKU-2\", \"quantity\": 1, \"unitPrice\": 0.05}");

		ConsumerRecord<String, byte[]> record = this.topic.await(1, Duration.ofSeconds(10)).get(0);
		String value = new String(record.value(), StandardCharsets.UTF_8);
		JsonNode event = this.json.readTree(value);
		assertThat(schema.violations(event)).isEmpty();
		assertThat(event.get("purchaseId").asString()).isEqualTo(accepted.get("purchaseId").asString());
		assertThat(event.get("customerId").asString()).isEqualTo("c-7");
		assertThat(event.get("currency").asString()).isEqualTo("BRL");
		assertThat(event.get("occurredAt").asString()).isEqualTo(accepted.get("occurredAt").asString());
		// Exact decimals in the currency's scale, as written on the wire: 2 x 19.90 + 0.05.
		assertThat(value).contains("\"unitPrice\":19.90").contains("\"unitPrice\":0.05").contains("\"total\":39.85");
		assertThat(accepted.get("total").decimalValue()).isEqualByComparingTo("39.85");
		assertThat(accepted.toString()).contains("\"total\":39.85");
	}

	@Test
	void theRecordContinuesTheTraceOfTheRequest() {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON)
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.body("""
					{"customerId": "c-traced", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": 1}]}""")
			.exchange()
			.expectStatus().isAccepted();

		ConsumerRecord<String, byte[]> record = this.topic.await(1, Duration.ofSeconds(10)).get(0);
		assertThat(headers(record).get("traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-01")
			.isNotEqualTo("00-" + traceId + "-00f067aa0ba902b7-01"); // a span of its own in that trace
	}

	@Test
	void declaresTheTopicWithTheContractPartitionCount() throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
			assertThat(description.partitions()).hasSize(6);
		}
	}

	@Test
	void aRetryWithTheSameIdempotencyKeyRepublishesTheSameIds() {
		String line = "{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 10}";
		JsonNode first = place("c-retry", "order-17", "BRL", line);
		JsonNode retry = place("c-retry", "order-17", "BRL", line);

		assertThat(retry.get("purchaseId")).isEqualTo(first.get("purchaseId"));
		assertThat(retry.get("eventId")).isEqualTo(first.get("eventId"));
		List<ConsumerRecord<String, byte[]>> records = this.topic.await(2, Duration.ofSeconds(10));
		assertThat(records).hasSize(2)
			.allSatisfy((record) -> assertThat(headers(record)).containsEntry("ce_id", first.get("eventId").asString())
				.containsEntry("ce_subject", first.get("purchaseId").asString()));
	}

	@Test
	void idempotencyKeysAreScopedToTheCustomer() {
		String line = "{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 10}";
		JsonNode mine = place("c-a", "same-key", "BRL", line);
		JsonNode theirs = place("c-b", "same-key", "BRL", line);
		JsonNode withoutKey = place("c-a", null, "BRL", line);

		assertThat(theirs.get("purchaseId")).isNotEqualTo(mine.get("purchaseId"));
		assertThat(withoutKey.get("purchaseId")).isNotEqualTo(mine.get("purchaseId"));
		assertThat(withoutKey.get("eventId")).isNotEqualTo(mine.get("eventId"));
	}

	@Test
	void invalidRequestsPublishNothing() {
		this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON).body("""
				{"customerId": "c-1", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 0, "unitPrice": 1}]}""")
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON).body("{")
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.http.post().uri("/purchases").contentType(MediaType.TEXT_PLAIN).body("purchase")
			.exchange()
			.expectStatus()
			.isEqualTo(415);
		// A valid purchase afterwards is the first and only record since the probe started.
		JsonNode marker = place("c-marker", null, "BRL", "{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 1}");

		List<ConsumerRecord<String, byte[]>> records = this.topic.await(2, Duration.ofSeconds(2));
		assertThat(records).singleElement()
			.satisfies((record) -> assertThat(headers(record)).containsEntry("ce_id", marker.get("eventId").asString()));
	}

	@Test
	void refusesAChunkedBodyOver64KibWith413() throws Exception {
		byte[] body = ("{\"customerId\": \"c-1\", \"currency\": \"BRL\", \"items\": [], \"pad\": \""
				+ "x".repeat(70 * 1024) + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/purchases"))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + TestIssuer.get().token("purchases:write"))
			// No Content-Length: the body streams in chunks and is cut off at the limit.
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void isReadyWhenTheBrokerAnswersAndTheTopicExists() {
		TestIssuer.get().client(this.managementPort, "events:replay").get().uri("/actuator/health/readiness")
			.exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.kafka.status").isEqualTo("UP");
	}

	@Test
	void healthShowsItsDetailsToOperationsOnly() {
		TestIssuer.get().client(this.managementPort).get().uri("/actuator/health").exchange().expectStatus().isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components").doesNotExist();
		TestIssuer.get().client(this.managementPort, "purchases:write").get().uri("/actuator/health").exchange()
			.expectBody()
			.jsonPath("$.components").doesNotExist();
		TestIssuer.get().client(this.managementPort, "events:replay").get().uri("/actuator/health").exchange()
			.expectBody()
			.jsonPath("$.components.kafka.details.clusterId").exists();
	}

	@Test
	void operationsAreOnTheManagementPortOnly() {
		RestTestClient operations = TestIssuer.get().client(this.managementPort);
		place("c-metrics", null, "BRL", "{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 1}");
		operations.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
			.value((text) -> assertThat(text).containsPattern("purchases_published_total(\\{[^}]*\\})? [1-9]")
				// The README's latency metrics: requests, and the broker's acknowledgements.
				.containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/purchases\"")
				.containsPattern("spring_kafka_template_seconds_bucket\\{[^}]*result=\"success\""));
		operations.get().uri("/actuator/info").exchange().expectStatus().isOk();
		// Not exposed, and so refused even to operations (deny by default).
		TestIssuer.get().client(this.managementPort, "events:replay").get().uri("/actuator/env").exchange()
			.expectStatus().isForbidden();
		// The business port serves no /actuator, to anyone.
		for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator")) {
			this.http.get().uri(path).exchange().expectStatus().isForbidden();
			TestIssuer.get().client(this.port).get().uri(path).exchange().expectStatus().isUnauthorized();
		}
	}

	@Test
	void servesTheOpenApiDocumentCheckedIntoDocs() throws Exception {
		OpenApiDocuments.assertServedAsCheckedIn(this.port, "purchase-publisher");
	}

	private JsonNode place(String customerId, String idempotencyKey, String currency, String... lines) {
		String body = "{\"customerId\": \"%s\", \"currency\": \"%s\", \"items\": [%s]}".formatted(customerId, currency,
				String.join(",", lines));
		RestTestClient.RequestBodySpec request = this.http.post().uri("/purchases")
			.contentType(MediaType.APPLICATION_JSON);
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		String response = request.body(body).exchange().expectStatus().isAccepted().expectBody(String.class).returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private static Map<String, String> headers(ConsumerRecord<?, ?> record) {
		return Arrays.stream(record.headers().toArray())
			.collect(java.util.stream.Collectors.toMap(Header::key,
					(header) -> new String(header.value(), StandardCharsets.UTF_8)));
	}

}
