package com.example.purchases.history;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;
import com.example.purchases.testing.Replicas;
import com.example.purchases.testing.SubscriberTest;
import com.example.purchases.testing.TestIssuer;
import com.example.purchases.testing.TopicReader;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /actuator/deadletters} as operators run it: after the cause is fixed, on several
 * replicas at once, and again after a replay the database cut short. Every dead letter that can
 * be applied is applied once; every one that still fails is put back once.
 */
@SubscriberTest
class DeadLetterReplayTests {

	private static final String DLT = "purchases.completed.purchase-history.dlt";

	private final JsonMapper json = JsonMapper.builder().build();

	// The broker of this test's context: the system property that @EmbeddedKafka also sets is
	// the last started broker's, whichever context that was.
	@Autowired
	EmbeddedKafkaBroker broker;

	@LocalManagementPort
	int port;

	@Autowired
	KafkaTemplate<byte[], byte[]> kafka;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void replaysThroughTheSameIdempotentPathAndPutsBackWhatStillFails() {
		String run = run();
		List<Purchase> valid = deadLetters(run, 4, 2);

		JsonNode result = replay(this.port);

		assertThat(result.get("stillFailing").asInt()).isGreaterThanOrEqualTo(2);
		assertThat(result.get("applied").asInt()).isGreaterThanOrEqualTo(valid.size());
		assertApplied(valid);
		assertPutBackOnce(run, 2);
		// Replayed again: what was applied stays applied once; the still failing stay put back once more.
		JsonNode again = replay(this.port);
		assertThat(again.get("applied").asInt()).isZero();
		assertApplied(valid);
	}

	@Test
	void twoReplicasReplayingAtOnceShareTheWorkAndPutBackEachFailingRecordOnce() {
		String run = run();
		// More than a poll (50 here) on each partition's share, so the replicas take turns.
		List<Purchase> valid = deadLetters(run, 240, 60);
		ConfigurableApplicationContext second = secondReplica();
		try {
			int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.management.port"));
			CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(() -> replay(this.port));
			CompletableFuture<JsonNode> other = CompletableFuture.supplyAsync(() -> replay(secondPort));
			int replayed = first.join().get("replayed").asInt() + other.join().get("replayed").asInt();
			assertThat(replayed).isGreaterThanOrEqualTo(300);
		}
		finally {
			second.close();
		}
		assertApplied(valid);
		assertPutBackOnce(run, 60);
	}

	@Test
	void onlyOperationsMayListOrReplayDeadLetters() {
		RestTestClient anonymous = TestIssuer.get().client(this.port);
		RestTestClient otherScopes = TestIssuer.get().client(this.port, "history:read", "purchases:write", "stock:write");
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
			anonymous.method(method).uri("/actuator/deadletters").exchange().expectStatus().isUnauthorized()
				.expectHeader().valueEquals("WWW-Authenticate", "Bearer");
			otherScopes.method(method).uri("/actuator/deadletters").exchange().expectStatus().isForbidden()
				.expectHeader().contentType("application/problem+json");
		}
		http(this.port).get().uri("/actuator/deadletters").exchange().expectStatus().isOk();
	}

	@Test
	void aReplayCutShortByTheDatabaseDuplicatesNothingWhenRunAgain() {
		String run = run();
		List<Purchase> valid = deadLetters(run, 20, 5);
		this.jdbc.execute("ALTER TABLE purchase_line RENAME TO purchase_line_unavailable");
		try {
			http(this.port).post().uri("/actuator/deadletters").exchange().expectStatus().isEqualTo(503)
				.expectBody().jsonPath("$.error").value(String.class, (error) -> assertThat(error).contains("run it again"));
		}
		finally {
			this.jdbc.execute("ALTER TABLE purchase_line_unavailable RENAME TO purchase_line");
		}
		assertPutBackOnce(run, 0);

		replay(this.port);

		assertApplied(valid);
		assertPutBackOnce(run, 5);
	}

	/**
	 * Writes dead letters of one run: purchases refused earlier and valid now, and records that
	 * are still poison, spread over the partitions.
	 */
	private List<Purchase> deadLetters(String run, int validCount, int poisonCount) {
		PublishedPurchases publisher = new PublishedPurchases(this.kafka);
		List<Purchase> valid = new ArrayList<>();
		for (int i = 0; i < validCount; i++) {
			Purchase purchase = Purchase.of(run + "-" + (i % 10), "BRL", Line.of("SKU-1", 1, "1.00"));
			RecordHeaders headers = PublishedPurchases.headersOf(purchase);
			headers.add("dlt-reason", PublishedPurchases.bytes("refused by an earlier version"));
			publisher.send(new ProducerRecord<>(DLT, i % 6, null, PublishedPurchases.bytes(purchase.customerId()),
					PublishedPurchases.bytes(purchase.json()), headers));
			valid.add(purchase);
		}
		for (int i = 0; i < poisonCount; i++) {
			RecordHeaders headers = PublishedPurchases.headersOf(Purchase.of(run, "BRL", Line.of("X", 1, "1")));
			headers.add("test-seq", PublishedPurchases.bytes(Integer.toString(i)));
			headers.add("dlt-reason", PublishedPurchases.bytes("refused by an earlier version"));
			publisher.send(new ProducerRecord<>(DLT, i % 6, null, PublishedPurchases.bytes(run + "-poison"),
					PublishedPurchases.bytes("still not json {"), headers));
		}
		return valid;
	}

	private JsonNode replay(int port) {
		return this.json.readTree(http(port).post().uri("/actuator/deadletters").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody());
	}

	private void assertApplied(List<Purchase> valid) {
		Map<String, Long> expected = valid.stream()
			.collect(Collectors.groupingBy(Purchase::customerId, Collectors.counting()));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> expected.forEach((customer, count) -> assertThat(
				this.jdbc.queryForObject("SELECT count(*) FROM purchase WHERE customer_id = ?", Long.class, customer))
			.as(customer)
			.isEqualTo(count)));
		expected.forEach((customer, count) -> assertThat(this.jdbc.queryForObject(
				"SELECT purchase_count FROM customer_summary WHERE customer_id = ?", Long.class, customer))
			.as(customer)
			.isEqualTo(count));
	}

	/** Each still-failing dead letter of the run is in the topic twice: as written, and put back once. */
	private void assertPutBackOnce(String run, int stillFailing) {
		List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(this.broker.getBrokersAsString(), DLT,
				(record) -> new String(record.key(), StandardCharsets.UTF_8).equals(run + "-poison"), 0, Duration.ZERO,
				Duration.ofSeconds(1));
		Map<String, Long> putBacks = records.stream()
			.filter((record) -> !header(record, "dlt-reason").equals("refused by an earlier version"))
			.collect(Collectors.groupingBy((record) -> header(record, "test-seq"), Collectors.counting()));
		assertThat(putBacks).hasSize(stillFailing).allSatisfy((seq, copies) -> assertThat(copies).as(seq).isOne());
		assertThat(putBacks.keySet().stream().map(Integer::valueOf).collect(Collectors.toSet()))
			.isEqualTo(IntStream.range(0, stillFailing).boxed().collect(Collectors.toSet()));
		records.stream()
			.filter((record) -> !header(record, "dlt-reason").equals("refused by an earlier version"))
			.forEach((record) -> assertThat(header(record, "dlt-reason")).startsWith("value is not JSON"));
	}

	private ConfigurableApplicationContext secondReplica() {
		return new SpringApplicationBuilder(PurchaseHistoryApplication.class)
			.run(Replicas.commandLine(this.broker.getBrokersAsString()));
	}

	/** An operator's client of a replica's management port. */
	private static RestTestClient http(int port) {
		return TestIssuer.get().client(port, "events:replay");
	}

	private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
		var header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "";
	}

	private static String run() {
		return "replay-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
