package com.example.purchases.history;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.testing.EndpointWalk;
import com.example.purchases.testing.OpenApiDocuments;
import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;
import com.example.purchases.testing.SubscriberTest;
import com.example.purchases.testing.TestIssuer;
import com.example.purchases.testing.TopicReader;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history service against a real (embedded KRaft) broker, fed records exactly as the
 * publisher produces them; everything checked through its API, as a user would.
 */
@SubscriberTest
@ExtendWith(OutputCaptureExtension.class)
class PurchaseHistoryTests {

	private static final String DLT = "purchases.completed.purchase-history.dlt";

	// Amounts are read as written: 45.10 stays 45.10.
	private final JsonMapper json = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	// The broker of this test's context: the system property that @EmbeddedKafka also sets is
	// the last started broker's, whichever context that was.
	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	RestTestClient http;

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@LocalManagementPort
	int managementPort;

	RestTestClient operations;

	@Autowired
	KafkaTemplate<byte[], byte[]> kafka;

	@Autowired
	JdbcTemplate jdbc;

	PublishedPurchases publisher;

	@BeforeEach
	void publisherAndClients() {
		this.publisher = new PublishedPurchases(this.kafka);
		this.http = TestIssuer.get().authorize(this.http, "history:read");
		this.operations = TestIssuer.get().client(this.managementPort, "events:replay");
	}

	@Test
	void servesTheOpenApiDocumentCheckedIntoDocs() throws Exception {
		OpenApiDocuments.assertServedAsCheckedIn(this.port, "purchase-history-subscriber");
	}

	@Test
	void everyEndpointNeedsItsScope() {
		EndpointWalk.of(this.context)
			.expect("GET /customers/{customerId}/purchases", "history:read")
			.expect("GET /customers/{customerId}/summary", "history:read")
			.expect("GET /purchases/{id}", "history:read")
			.expectAnonymous("GET /v3/api-docs")
			.expectAnonymous("GET /v3/api-docs.yaml")
			.expectAnonymous("GET /v3/api-docs/swagger-config")
			.expectAnonymous("GET /swagger-ui.html")
			.otherScopes("purchases:write", "stock:read", "stock:write", "events:replay")
			.walk();
	}

	@Test
	void recordsEachPurchaseWithItsLinesNewestFirst() {
		String customer = customer();
		Instant now = Instant.parse("2026-11-26T12:00:00Z");
		Purchase older = Purchase.of(customer, "BRL", Line.of("SKU-1", 2, "19.90")).at(now.minusSeconds(60));
		Purchase newer = Purchase.of(customer, "BRL", Line.of("SKU-2", 1, "5.00"), Line.of("SKU-3", 3, "0.10"))
			.at(now);
		this.publisher.publish(older);
		this.publisher.publish(newer);

		JsonNode summary = awaitSummary(customer, 2);
		assertThat(summary.get("totalsByCurrency").toString()).isEqualTo("{\"BRL\":45.10}");
		assertThat(summary.get("firstPurchaseAt").asString()).isEqualTo("2026-11-26T11:59:00Z");
		assertThat(summary.get("lastPurchaseAt").asString()).isEqualTo("2026-11-26T12:00:00Z");

		JsonNode page = get("/customers/" + customer + "/purchases");
		assertThat(page.get("page").toString())
			.isEqualTo("{\"size\":20,\"number\":0,\"totalElements\":2,\"totalPages\":1}");
		JsonNode first = page.get("content").get(0);
		assertThat(first.get("purchaseId").asString()).isEqualTo(newer.purchaseId().toString());
		assertThat(first.get("currency").asString()).isEqualTo("BRL");
		assertThat(first.get("total").toString()).isEqualTo("5.30");
		assertThat(first.get("items").toString()).isEqualTo(
				"[{\"sku\":\"SKU-2\",\"quantity\":1,\"unitPrice\":5.00},{\"sku\":\"SKU-3\",\"quantity\":3,\"unitPrice\":0.10}]");
		assertThat(page.get("content").get(1).get("purchaseId").asString()).isEqualTo(older.purchaseId().toString());
	}

	@Test
	void recordsAndLogsTheTraceOfTheRequestThatPlacedThePurchase(CapturedOutput output) {
		String customer = customer();
		Purchase purchase = Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00"));
		this.publisher.publish(purchase);
		awaitSummary(customer, 1);

		assertThat(this.jdbc.queryForObject("SELECT trace_id FROM purchase WHERE purchase_id = ?", String.class,
				purchase.purchaseId()))
			.isEqualTo(purchase.traceId());
		JsonNode applied = get("/purchases/" + purchase.purchaseId());
		assertThat(applied.get("traceId").asString()).isEqualTo(purchase.traceId());
		assertThat(applied.get("id").asString()).isEqualTo(purchase.purchaseId().toString());
		assertThat(Instant.parse(applied.get("appliedAt").asString())).isAfterOrEqualTo(purchase.occurredAt());
		this.http.get().uri("/purchases/" + UUID.randomUUID()).exchange().expectStatus().isNotFound();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut().lines()
			.filter((line) -> line.contains("Recorded purchase " + purchase.purchaseId())))
			.singleElement()
			.asString()
			.contains(purchase.traceId()));
	}

	@Test
	void summaryIsTheSumOfThePurchasesPerCurrency() {
		String customer = customer();
		List<Purchase> purchases = List.of(Purchase.of(customer, "BRL", Line.of("A", 3, "10.05")),
				Purchase.of(customer, "BRL", Line.of("B", 1, "0.01"), Line.of("C", 7, "999999.99")),
				Purchase.of(customer, "JPY", Line.of("D", 2, "1500")),
				Purchase.of(customer, "KWD", Line.of("E", 1, "1.125")),
				Purchase.of(customer, "BRL", Line.of("F", 10000, "1000000")));
		purchases.forEach(this.publisher::publish);

		JsonNode summary = awaitSummary(customer, purchases.size());

		Map<String, BigDecimal> expected = purchases.stream()
			.collect(Collectors.groupingBy(Purchase::currency,
					Collectors.reducing(BigDecimal.ZERO, Purchase::total, BigDecimal::add)));
		assertThat(expected).containsEntry("BRL", new BigDecimal("10007000030.09"));
		JsonNode totals = summary.get("totalsByCurrency");
		assertThat(totals.size()).isEqualTo(3);
		expected.forEach((currency, total) -> assertThat(totals.get(currency).decimalValue())
			.isEqualByComparingTo(total));
		assertThat(totals.toString()).isEqualTo("{\"BRL\":10007000030.09,\"JPY\":3000,\"KWD\":1.125}");
		// ... and the purchases the API lists add up to the same.
		JsonNode listed = get("/customers/" + customer + "/purchases?size=100").get("content");
		BigDecimal brl = BigDecimal.ZERO;
		for (JsonNode purchase : listed) {
			if (purchase.get("currency").asString().equals("BRL")) {
				brl = brl.add(purchase.get("total").decimalValue());
			}
		}
		assertThat(brl).isEqualByComparingTo(totals.get("BRL").decimalValue());
	}

	@Test
	void dropsDuplicatesBySameEventIdOrSamePurchaseIdAndTheFirstWins() {
		String customer = customer();
		Purchase first = Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "10.00"));
		double duplicatesBefore = counter("consumer_events_duplicates_total");
		this.publisher.publish(first);
		this.publisher.publish(first); // redelivered, or re-published by a client retry
		this.publisher.publish(first.withEventId(UUID.randomUUID()).withItems(Line.of("SKU-9", 5, "99.00")));
		Purchase marker = Purchase.of(customer, "BRL", Line.of("SKU-2", 1, "1.00"));
		this.publisher.publish(marker);

		JsonNode summary = awaitSummary(customer, 2);
		assertThat(summary.get("totalsByCurrency").toString()).isEqualTo("{\"BRL\":11.00}");
		assertThat(get("/customers/" + customer + "/purchases").get("content").get(1).get("items").toString())
			.contains("SKU-1")
			.doesNotContain("SKU-9");
		assertThat(counter("consumer_events_duplicates_total") - duplicatesBefore).isEqualTo(2);
	}

	@Test
	void deadLettersPoisonRecordsByteForByteAndKeepsConsuming() {
		String customer = customer();
		Purchase before = Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00"));
		Purchase after = Purchase.of(customer, "BRL", Line.of("SKU-1", 2, "1.00"));
		int dltBefore = TopicReader.read(this.broker.getBrokersAsString(), DLT, 0, Duration.ZERO, Duration.ofMillis(300)).size();

		this.publisher.publish(before);
		ProducerRecord<byte[], byte[]> notJson = poison(customer, "not json at all {",
				PublishedPurchases.headersOf(Purchase.of(customer, "BRL", Line.of("X", 1, "1"))));
		ProducerRecord<byte[], byte[]> againstSchema = poison(customer,
				"{\"purchaseId\":\"nope\",\"customerId\":\"" + customer + "\",\"items\":[],\"currency\":\"BRL\"}",
				PublishedPurchases.headersOf(Purchase.of(customer, "BRL", Line.of("X", 1, "1"))));
		Purchase unidentified = Purchase.of(customer, "BRL", Line.of("SKU-7", 7, "7.00"));
		RecordHeaders noCeId = PublishedPurchases.headersOf(unidentified);
		noCeId.remove("ce_id");
		ProducerRecord<byte[], byte[]> withoutId = poison(customer, unidentified.json(), noCeId);
		this.publisher.send(notJson);
		this.publisher.send(againstSchema);
		this.publisher.send(withoutId);
		this.publisher.publish(after);

		awaitSummary(customer, 2);
		List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader.read(this.broker.getBrokersAsString(), DLT, dltBefore + 3,
				Duration.ofSeconds(10), Duration.ofMillis(500));
		List<ConsumerRecord<byte[], byte[]>> ours = deadLetters.stream()
			.filter((record) -> new String(record.key(), StandardCharsets.UTF_8).equals(customer))
			.toList();
		assertThat(ours).hasSize(3);
		assertDeadLetter(ours.get(0), notJson, "value is not JSON");
		assertDeadLetter(ours.get(1), againstSchema, "value violates purchase-completed.v1.schema.json");
		assertDeadLetter(ours.get(2), withoutId, "record has no ce_id header");
		assertThat(counter("consumer_dead_lettered_total")).isGreaterThanOrEqualTo(3);
	}

	@Test
	void retriesWhileTheDatabaseFailsNeitherSkipsNorDeadLettersAndSaysItIsStalled() {
		String customer = customer();
		int dltBefore = TopicReader.read(this.broker.getBrokersAsString(), DLT, 0, Duration.ZERO, Duration.ofMillis(300)).size();
		double stallsBefore = counter("consumer_stalls_total");
		this.jdbc.execute("ALTER TABLE purchase_line RENAME TO purchase_line_unavailable");
		try {
			this.publisher.publish(Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "3.00")));
			// Records wait and none is applied for longer than subscriber.stall-timeout (4 s here).
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> this.operations.get().uri("/actuator/health/readiness")
				.exchange()
				.expectStatus().isEqualTo(503)
				.expectBody()
				.jsonPath("$.components.subscriber.status").isEqualTo("DOWN")
				.jsonPath("$.components.subscriber.details.reason").value(String.class,
						(reason) -> assertThat(reason).contains("records wait on its partitions and none was applied")));
			assertThat(status("/customers/" + customer + "/summary")).isEqualTo(404);
		}
		finally {
			this.jdbc.execute("ALTER TABLE purchase_line_unavailable RENAME TO purchase_line");
		}
		assertThat(awaitSummary(customer, 1).get("totalsByCurrency").toString()).isEqualTo("{\"BRL\":3.00}");
		assertThat(TopicReader.read(this.broker.getBrokersAsString(), DLT, 0, Duration.ZERO, Duration.ofMillis(300))).hasSize(dltBefore);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> this.operations.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
		assertThat(counter("consumer_stalls_total") - stallsBefore).isEqualTo(1);
	}

	@Test
	void aRecordTheDatabaseRefusesIsDeadLetteredAloneWithTheDatabasesReason() {
		String customer = customer();
		String refused = customer() + "-refused";
		// What the schema lets through and a table cannot keep, found by what failed.
		this.jdbc.execute("ALTER TABLE purchase ADD CONSTRAINT refuse_one CHECK (customer_id <> '" + refused + "')");
		try {
			this.publisher.publish(Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00")));
			this.publisher.publish(Purchase.of(refused, "BRL", Line.of("SKU-1", 1, "2.00")));
			this.publisher.publish(Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "4.00")));
			assertThat(awaitSummary(customer, 2).get("totalsByCurrency").toString()).isEqualTo("{\"BRL\":5.00}");
			List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader.read(this.broker.getBrokersAsString(), DLT,
					(record) -> new String(record.key(), StandardCharsets.UTF_8).equals(refused), 1,
					Duration.ofSeconds(10), Duration.ofMillis(300));
			assertThat(deadLetters).singleElement()
				.satisfies((deadLetter) -> assertThat(header(deadLetter, "dlt-reason"))
					.startsWith("cannot be stored (SQLSTATE 23"));
		}
		finally {
			this.jdbc.execute("ALTER TABLE purchase DROP CONSTRAINT refuse_one");
		}
		assertThat(status("/customers/" + refused + "/summary")).isEqualTo(404);
	}

	@Test
	void declaresTheTopicAndItsDeadLetterTopicWithTheContractPartitionCount() throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			assertThat(admin.describeTopics(List.of(PublishedPurchases.TOPIC, DLT)).allTopicNames().get().values())
				.allSatisfy((topic) -> assertThat(topic.partitions()).hasSize(6));
		}
	}

	@Test
	void answersUnknownCustomersWith404Problems() {
		for (String path : List.of("/customers/nobody/summary", "/customers/nobody/purchases")) {
			this.http.get().uri(path).exchange()
				.expectStatus().isNotFound()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody().jsonPath("$.title").isEqualTo("Unknown customer");
		}
	}

	@Test
	void refusesPageParametersOutOfRangeInsteadOfClampingThem() {
		Map<String, String> cases = Map.of("page=-1", "page", "size=0", "size", "size=101", "size", "page=x", "page",
				"size=1.5", "size");
		cases.forEach((query, field) -> this.http.get().uri("/customers/c-1/purchases?" + query).exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.violations[0].field").isEqualTo(field));
	}

	@Test
	void pagesThroughAHistory() {
		String customer = customer();
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		for (int i = 0; i < 5; i++) {
			this.publisher.publish(Purchase.of(customer, "BRL", Line.of("SKU-" + i, 1, "1.00")).at(start.plusSeconds(i)));
		}
		awaitSummary(customer, 5);
		JsonNode last = get("/customers/" + customer + "/purchases?page=2&size=2");
		assertThat(last.get("page").toString())
			.isEqualTo("{\"size\":2,\"number\":2,\"totalElements\":5,\"totalPages\":3}");
		assertThat(last.get("content")).hasSize(1);
		assertThat(last.get("content").get(0).get("items").get(0).get("sku").asString()).isEqualTo("SKU-0");
		assertThat(get("/customers/" + customer + "/purchases?page=3&size=2").get("content")).isEmpty();
	}

	@Test
	void exposesItsCountersAndTheConsumerLag() {
		String customer = customer();
		this.publisher.publish(Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00")));
		awaitSummary(customer, 1);
		String metrics = this.operations.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
			.returnResult().getResponseBody();
		assertThat(metrics).containsPattern("consumer_events_applied_total\\{group=\"purchase-history\"\\} [1-9]")
			.contains("consumer_events_duplicates_total{group=\"purchase-history\"}",
					"consumer_dead_lettered_total{group=\"purchase-history\"}",
					"consumer_retries_total{group=\"purchase-history\"}", "consumer_stalls_total{group=\"purchase-history\"}",
					"consumer_stalled{group=\"purchase-history\"} 0");
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(this.operations.get().uri("/actuator/prometheus")
			.exchange().expectBody(String.class).returnResult().getResponseBody())
			.containsPattern("consumer_group_lag_records\\{group=\"purchase-history\",partition=\"[0-5]\",topic=\"purchases.completed\"\\} 0"));
	}

	@Test
	void isReadyWithBrokerDatabaseAndAGroupThatMakesProgress() {
		this.operations.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.components.kafka.status").isEqualTo("UP")
			.jsonPath("$.components.db.status").isEqualTo("UP")
			.jsonPath("$.components.subscriber.status").isEqualTo("UP")
			.jsonPath("$.components.subscriber.details.group").isEqualTo("purchase-history");
	}

	private void assertDeadLetter(ConsumerRecord<byte[], byte[]> deadLetter, ProducerRecord<byte[], byte[]> original,
			String reason) {
		assertThat(deadLetter.key()).isEqualTo(original.key());
		assertThat(deadLetter.value()).isEqualTo(original.value());
		Map<String, String> headers = Arrays.stream(deadLetter.headers().toArray())
			.collect(Collectors.toMap(Header::key, (h) -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
		for (Header header : original.headers()) {
			assertThat(headers).containsEntry(header.key(), new String(header.value(), StandardCharsets.UTF_8));
		}
		assertThat(headers).containsEntry("dlt-original-topic", PublishedPurchases.TOPIC)
			.containsEntry("dlt-group", "purchase-history")
			.containsKeys("dlt-original-partition", "dlt-original-offset", "dlt-original-timestamp");
		assertThat(headers.get("dlt-original-partition")).matches("[0-5]");
		assertThat(Integer.parseInt(headers.get("dlt-original-partition"))).isEqualTo(deadLetter.partition());
		assertThat(headers.get("dlt-original-offset")).matches("\\d+");
		assertThat(Instant.parse(headers.get("dlt-original-timestamp"))).isNotNull();
		assertThat(headers.get("dlt-reason")).startsWith(reason).doesNotContain("\n");
		assertThat(headers.keySet()).noneMatch((key) -> key.startsWith("kafka_dlt"));
	}

	private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private static ProducerRecord<byte[], byte[]> poison(String customer, String value, RecordHeaders headers) {
		return new ProducerRecord<>(PublishedPurchases.TOPIC, null, null, PublishedPurchases.bytes(customer),
				PublishedPurchases.bytes(value), headers);
	}

	private JsonNode awaitSummary(String customer, int purchases) {
		await().atMost(Duration.ofSeconds(20)).until(() -> status("/customers/" + customer + "/summary") == 200
				&& get("/customers/" + customer + "/summary").get("purchaseCount").asInt() >= purchases);
		JsonNode summary = get("/customers/" + customer + "/summary");
		assertThat(summary.get("purchaseCount").asInt()).isEqualTo(purchases);
		return summary;
	}

	private JsonNode get(String path) {
		return this.json.readTree(this.http.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
			.returnResult().getResponseBody());
	}

	private int status(String path) {
		return this.http.get().uri(path).exchange().returnResult(String.class).getStatus().value();
	}

	private double counter(String name) {
		String metrics = this.operations.get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult()
			.getResponseBody();
		return metrics.lines()
			.filter((line) -> line.startsWith(name))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	private static String customer() {
		return "c-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
