package com.example.purchases.stock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.messaging.EventSchema;
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
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stock service against a real (embedded KRaft) broker, fed records exactly as the
 * publisher produces them, with three consumers in the process so that purchases of one SKU
 * from different partitions are applied concurrently.
 */
@SubscriberTest
@ExtendWith(OutputCaptureExtension.class)
class StockReplenishmentTests {

	private static final String REPLENISHMENTS = "stock.replenishment-requested";

	private static final String DLT = "purchases.completed.stock-replenishment.dlt";

	private static final EventSchema replenishmentSchema = EventSchema
		.load("stock-replenishment-requested.v1.schema.json");

	private final JsonMapper json = JsonMapper.builder().build();

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

	PublishedPurchases publisher;

	@BeforeEach
	void publisherAndClients() {
		this.publisher = new PublishedPurchases(this.kafka);
		this.http = TestIssuer.get().authorize(this.http, "stock:read", "stock:write");
		this.operations = TestIssuer.get().client(this.managementPort, "events:replay");
	}

	@Test
	void servesTheOpenApiDocumentCheckedIntoDocs() throws Exception {
		OpenApiDocuments.assertServedAsCheckedIn(this.port, "stock-replenishment-subscriber");
	}

	@Test
	void everyEndpointNeedsItsScope() {
		EndpointWalk.of(this.context)
			.expect("GET /stock", "stock:read")
			.expect("GET /stock/{sku}", "stock:read")
			.expect("GET /replenishments", "stock:read")
			.expect("GET /replenishments/{id}", "stock:read")
			.expect("POST /replenishments/{id}/receipt", "stock:write")
			.expect("GET /purchases/{id}", "stock:read")
			.expectAnonymous("GET /v3/api-docs")
			.expectAnonymous("GET /v3/api-docs.yaml")
			.expectAnonymous("GET /v3/api-docs/swagger-config")
			.expectAnonymous("GET /swagger-ui.html")
			.otherScopes("purchases:write", "history:read", "events:replay")
			.walk();
	}

	@Test
	void purchasesTakeTheirUnitsOffStock() {
		String sku = sku();
		Purchase first = Purchase.of("c-1", "BRL", Line.of(sku, 3, "1.00"), Line.of(sku, 2, "1.00"));
		this.publisher.publish(first);
		this.publisher.publish(Purchase.of("c-2", "BRL", Line.of(sku, 7, "1.00")));

		// A SKU never seen before starts with the documented defaults: 100 on hand.
		awaitOnHand(sku, 88);
		this.http.get().uri("/purchases/" + UUID.randomUUID()).exchange().expectStatus().isNotFound();
		assertThat(get("/stock/" + sku).toString())
			.isEqualTo("{\"sku\":\"%s\",\"onHand\":88,\"reorderPoint\":20,\"reorderQuantity\":100}".formatted(sku));
		assertThat(get("/purchases/" + first.purchaseId()).get("traceId").asString()).isEqualTo(first.traceId());
	}

	@Test
	void seededSkusStartWithTheirSeededStock() {
		assertThat(get("/stock/SKU-4").get("reorderPoint").asLong()).isEqualTo(200);
		assertThat(get("/stock/SKU-4").get("reorderQuantity").asLong()).isEqualTo(800);
	}

	@Test
	void crossingTheReorderPointOpensOneOrderAndAnnouncesItInTheTraceOfThePurchase(CapturedOutput output) {
		String sku = sku();
		Instant start = Instant.now();
		this.publisher.publish(Purchase.of("c-1", "BRL", Line.of(sku, 79, "1.00")));
		awaitOnHand(sku, 21);
		assertThat(orders(sku, "OPEN")).isEmpty();

		Purchase crossing = Purchase.of("c-2", "BRL", Line.of(sku, 1, "1.00")); // 20: at the reorder point
		this.publisher.publish(crossing);
		JsonNode order = awaitOneOpenOrder(sku);
		this.publisher.publish(Purchase.of("c-3", "BRL", Line.of(sku, 30, "1.00"))); // -10: already ordered
		awaitOnHand(sku, -10);

		assertThat(orders(sku, "OPEN")).hasSize(1);
		assertThat(order.get("quantity").asLong()).isEqualTo(100);
		assertThat(Instant.parse(order.get("requestedAt").asString())).isAfterOrEqualTo(start.minusSeconds(1));
		assertThat(order.get("receivedAt").isNull()).isTrue();

		ConsumerRecord<byte[], byte[]> event = awaitEvents(sku, 1).get(0);
		Map<String, String> headers = headers(event);
		assertThat(headers).containsEntry("ce_specversion", "1.0")
			.containsEntry("ce_source", "/stock-replenishment-subscriber")
			.containsEntry("ce_type", "com.example.stock.replenishment-requested.v1")
			.containsEntry("ce_subject", order.get("id").asString())
			.containsEntry("ce_time", order.get("requestedAt").asString())
			.containsEntry("content-type", "application/json")
			.containsKey("ce_id");
		assertThat(UUID.fromString(headers.get("ce_id"))).isNotEqualTo(UUID.fromString(order.get("id").asString()));
		JsonNode payload = this.json.readTree(event.value());
		assertThat(replenishmentSchema.violations(payload)).isEmpty();
		assertThat(payload.toString()).isEqualTo(
				"{\"replenishmentId\":\"%s\",\"sku\":\"%s\",\"quantity\":100,\"onHand\":20,\"requestedAt\":\"%s\"}"
					.formatted(order.get("id").asString(), sku, order.get("requestedAt").asString()));
		// The purchase that crossed the reorder point started the trace the order and its event continue.
		assertThat(headers.get("traceparent")).matches("00-" + crossing.traceId() + "-[0-9a-f]{16}-01");
		assertThat(output.getOut().lines().filter((line) -> line.contains("Replenishment " + order.get("id").asString())))
			.first()
			.asString()
			.contains(crossing.traceId());
	}

	@Test
	void purchasesOfOneSkuRacingAcrossPartitionsOpenOneOrder() {
		String sku = sku();
		for (int i = 0; i < 60; i++) { // 60 customers: their purchases land in every partition
			this.publisher.publish(Purchase.of("racer-" + i, "BRL", Line.of(sku, 2, "1.00")));
		}
		awaitOnHand(sku, -20);
		awaitOneOpenOrder(sku);
		assertThat(awaitEvents(sku, 1)).hasSize(1);
	}

	@Test
	void aReceiptClosesTheOrderAndPutsItsUnitsOnHand() {
		String sku = sku();
		this.publisher.publish(Purchase.of("c-1", "BRL", Line.of(sku, 90, "1.00")));
		String id = awaitOneOpenOrder(sku).get("id").asString();

		JsonNode received = this.json.readTree(this.http.post().uri("/replenishments/" + id + "/receipt").exchange()
			.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());

		assertThat(received.get("status").asString()).isEqualTo("RECEIVED");
		assertThat(received.get("receivedAt").isNull()).isFalse();
		assertThat(get("/stock/" + sku).get("onHand").asLong()).isEqualTo(110);
		assertThat(orders(sku, "OPEN")).isEmpty();
		assertThat(orders(sku, "RECEIVED")).hasSize(1);

		this.http.post().uri("/replenishments/" + id + "/receipt").exchange()
			.expectStatus().isEqualTo(409)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Replenishment order not open");
		assertThat(get("/stock/" + sku).get("onHand").asLong()).isEqualTo(110);
	}

	@Test
	void aReceiptThatLeavesStockLowOpensTheNextOrderAtOnce() {
		String sku = sku();
		this.publisher.publish(Purchase.of("c-1", "BRL", Line.of(sku, 250, "1.00"))); // backordered: -150
		String first = awaitOneOpenOrder(sku).get("id").asString();

		this.http.post().uri("/replenishments/" + first + "/receipt").exchange().expectStatus().isOk();

		assertThat(get("/stock/" + sku).get("onHand").asLong()).isEqualTo(-50);
		JsonNode next = awaitOneOpenOrder(sku);
		assertThat(next.get("id").asString()).isNotEqualTo(first);
		List<ConsumerRecord<byte[], byte[]>> events = awaitEvents(sku, 2);
		assertThat(events).hasSize(2);
		assertThat(this.json.readTree(events.get(1).value()).get("onHand").asLong()).isEqualTo(-50);
	}

	@Test
	void duplicatesChangeNothing() {
		String sku = sku();
		Purchase purchase = Purchase.of("c-1", "BRL", Line.of(sku, 5, "1.00"));
		this.publisher.publish(purchase);
		this.publisher.publish(purchase);
		this.publisher.publish(purchase.withEventId(UUID.randomUUID()).withItems(Line.of(sku, 50, "1.00")));
		this.publisher.publish(Purchase.of("c-1", "BRL", Line.of(sku, 1, "1.00")));
		awaitOnHand(sku, 94);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
			.until(() -> get("/stock/" + sku).get("onHand").asLong() == 94);
	}

	@Test
	void poisonRecordsGoToThisGroupsDeadLetterTopic() {
		String sku = sku();
		byte[] key = PublishedPurchases.bytes("c-poison-" + sku);
		byte[] value = PublishedPurchases.bytes("{\"purchaseId\": 42}");
		this.publisher.send(new ProducerRecord<>(PublishedPurchases.TOPIC, null, null, key, value,
				PublishedPurchases.headersOf(Purchase.of("c-1", "BRL", Line.of(sku, 1, "1")))));
		this.publisher.publish(Purchase.of("c-1", "BRL", Line.of(sku, 4, "1.00")));

		awaitOnHand(sku, 96);
		List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader
			.read(this.broker.getBrokersAsString(), DLT, 100, Duration.ofSeconds(3), Duration.ZERO)
			.stream()
			.filter((record) -> Arrays.equals(record.key(), key))
			.toList();
		assertThat(deadLetters).singleElement().satisfies((record) -> {
			assertThat(record.value()).isEqualTo(value);
			assertThat(headers(record)).containsEntry("dlt-group", "stock-replenishment")
				.containsEntry("dlt-original-topic", "purchases.completed")
				.containsKeys("dlt-original-partition", "dlt-original-offset", "dlt-original-timestamp");
			assertThat(headers(record).get("dlt-reason")).startsWith("value violates");
		});
	}

	@Test
	void listsWhatIsAtOrBelowItsReorderPoint() {
		String low = sku();
		String fine = sku();
		this.publisher.publish(Purchase.of("c-1", "BRL", Line.of(low, 85, "1.00"), Line.of(fine, 1, "1.00")));
		awaitOnHand(low, 15);
		List<String> skus = this.json.readTree(this.http.get().uri("/stock?belowReorderPoint=true").exchange()
			.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
			.valueStream()
			.map((level) -> level.get("sku").asString())
			.toList();
		assertThat(skus).contains(low).doesNotContain(fine);
	}

	@Test
	void answersWithProblemsForUnknownAndInvalidRequests() {
		this.http.get().uri("/stock/NO-SUCH-SKU").exchange().expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Unknown SKU");
		this.http.get().uri("/replenishments/" + UUID.randomUUID()).exchange().expectStatus().isNotFound();
		this.http.post().uri("/replenishments/" + UUID.randomUUID() + "/receipt").exchange().expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.post().uri("/replenishments/not-a-uuid/receipt").exchange().expectStatus().isBadRequest()
			.expectBody().jsonPath("$.violations[0].message").isEqualTo("must be a UUID");
		this.http.get().uri("/replenishments?status=LOST").exchange().expectStatus().isBadRequest()
			.expectBody().jsonPath("$.violations[0].message").isEqualTo("must be one of OPEN, RECEIVED");
		this.http.get().uri("/stock/{sku}", "bad sku").exchange().expectStatus().isBadRequest()
			.expectBody().jsonPath("$.violations[0].field").isEqualTo("sku");
	}

	@Test
	void exposesItsCountersTheOutboxBacklogAndTheLag() {
		String sku = sku();
		this.publisher.publish(Purchase.of("c-1", "BRL", Line.of(sku, 99, "1.00")));
		awaitOneOpenOrder(sku);
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(metrics())
			.containsPattern("stock_decrements_applied_total [1-9]")
			.containsPattern("stock_replenishments_requested_total [1-9]")
			.contains("stock_outbox_backlog_events ", "consumer_dead_lettered_total{group=\"stock-replenishment\"}")
			.containsPattern("consumer_group_lag_records\\{group=\"stock-replenishment\",partition=\"[0-5]\""));
	}

	private String metrics() {
		return this.operations.get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult()
			.getResponseBody();
	}

	private void awaitOnHand(String sku, long onHand) {
		await().atMost(Duration.ofSeconds(20)).until(() -> status("/stock/" + sku) == 200
				&& get("/stock/" + sku).get("onHand").asLong() == onHand);
	}

	private JsonNode awaitOneOpenOrder(String sku) {
		await().atMost(Duration.ofSeconds(20)).until(() -> orders(sku, "OPEN").size() == 1);
		return orders(sku, "OPEN").get(0);
	}

	/** The replenishment events of a SKU, once the expected number arrived (and any extra one shortly after). */
	private List<ConsumerRecord<byte[], byte[]>> awaitEvents(String sku, int expected) {
		return TopicReader.read(this.broker.getBrokersAsString(), REPLENISHMENTS,
				(record) -> new String(record.key(), StandardCharsets.UTF_8).equals(sku), expected,
				Duration.ofSeconds(10), Duration.ofMillis(500));
	}

	private List<JsonNode> orders(String sku, String status) {
		return this.json.readTree(this.http.get().uri("/replenishments?sku=" + sku + "&status=" + status).exchange()
			.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
			.valueStream()
			.toList();
	}

	private JsonNode get(String path) {
		return this.json.readTree(this.http.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
			.returnResult().getResponseBody());
	}

	private int status(String path) {
		return this.http.get().uri(path).exchange().returnResult(String.class).getStatus().value();
	}

	private static Map<String, String> headers(ConsumerRecord<?, ?> record) {
		return Arrays.stream(record.headers().toArray())
			.collect(Collectors.toMap(Header::key, (h) -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
	}

	private static String sku() {
		return "SKU-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
