package com.example.purchases.stock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.example.purchases.testing.PostgresDatabase;
import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;
import com.example.purchases.testing.TopicReader;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.testcontainers.context.ImportTestcontainers;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stock on PostgreSQL ({@code POSTGRES_IMAGE}, default {@code postgres:17}): the same
 * migrations, two replicas of three consumers each selling the same SKUs while orders are
 * received, and the insert only PostgreSQL gets (AppliedPurchases) with duplicates in one poll.
 * Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
@ImportTestcontainers(PostgresDatabase.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.listener.concurrency=3", "spring.kafka.consumer.max-poll-records=5" })
@AutoConfigureRestTestClient
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class PostgresStockTests {

	// The broker of this test's context: the system property that @EmbeddedKafka also sets is
	// the last started broker's, whichever context that was.
	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	KafkaTemplate<byte[], byte[]> kafka;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	RestTestClient http;

	@Autowired
	MessageListenerContainer consumer;

	@Test
	void replicasSellingTheSameSkusKeepOneOpenOrderEachAndAnnounceEveryOrder() {
		ConfigurableApplicationContext second = new SpringApplicationBuilder(StockReplenishmentApplication.class)
			.run(PostgresDatabase.replica(this.broker.getBrokersAsString(), "--spring.kafka.listener.concurrency=3",
				"--spring.kafka.consumer.max-poll-records=5"));
		List<String> skus = List.of("RACE-A", "RACE-B", "RACE-C");
		int purchases = 600;
		long received = 0;
		// The other tests of this class may have applied purchases of their own.
		long appliedBefore = this.jdbc.queryForObject("SELECT count(*) FROM applied_purchase", Long.class);
		try {
			PublishedPurchases publisher = new PublishedPurchases(this.kafka);
			for (int i = 0; i < purchases; i++) {
				// Every purchase buys all three SKUs, in varying order; customers spread over the partitions.
				publisher.publish(Purchase.of("customer-" + i, "BRL", Line.of(skus.get(i % 3), 1, "1.00"),
						Line.of(skus.get((i + 1) % 3), 1, "1.00"), Line.of(skus.get((i + 2) % 3), 1, "1.00")));
				if (i % 50 == 49) {
					received += receiveOpenOrders(skus);
				}
			}
			await().atMost(Duration.ofSeconds(90))
				.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM applied_purchase", Long.class)
						- appliedBefore == purchases);
		}
		finally {
			second.close();
		}
		long totalOnHand = this.jdbc.queryForObject(
				"SELECT sum(on_hand) FROM stock_item WHERE sku IN ('RACE-A', 'RACE-B', 'RACE-C')", Long.class);
		assertThat(totalOnHand).isEqualTo(3 * 100 - 3L * purchases + received);
		// A SKU has an open order exactly when it is at or below its reorder point, and never two.
		for (String sku : skus) {
			boolean low = this.jdbc.queryForObject("SELECT on_hand <= reorder_point FROM stock_item WHERE sku = ?",
					Boolean.class, sku);
			assertThat(this.jdbc.queryForObject(
					"SELECT count(*) FROM replenishment_order WHERE sku = ? AND status = 'OPEN'", Long.class, sku))
				.as(sku)
				.isEqualTo(low ? 1 : 0);
		}
		List<String> orders = this.jdbc.queryForList(
				"SELECT CAST(id AS VARCHAR) FROM replenishment_order WHERE sku IN ('RACE-A', 'RACE-B', 'RACE-C')",
				String.class);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL", Long.class) == 0);
		List<ConsumerRecord<byte[], byte[]>> events = TopicReader.read(this.broker.getBrokersAsString(), "stock.replenishment-requested",
				orders.size(), Duration.ofSeconds(20), Duration.ofMillis(500));
		Set<String> announced = events.stream()
			.map((event) -> new String(event.headers().lastHeader("ce_subject").value(), StandardCharsets.UTF_8))
			.collect(Collectors.toSet());
		assertThat(announced).containsExactlyInAnyOrderElementsOf(orders);
	}

	@Test
	void takesAPurchaseOffStockOnceWhenItArrivesThreeTimesInOnePoll() {
		Purchase first = Purchase.of("twice-1", "BRL", Line.of("TWICE-A", 2, "1.00"));
		Purchase next = Purchase.of("twice-1", "BRL", Line.of("TWICE-A", 1, "1.00"));
		// Published while the consumers are stopped: one customer, so one partition and one poll.
		this.consumer.stop();
		PublishedPurchases publisher = new PublishedPurchases(this.kafka);
		publisher.publish(first);
		publisher.publish(first);
		publisher.publish(first.withEventId(UUID.randomUUID()).withItems(Line.of("TWICE-A", 7, "1.00")));
		publisher.publish(next);
		this.consumer.start();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM applied_purchase WHERE purchase_id IN (?, ?)",
					Long.class, first.purchaseId(), next.purchaseId()) == 2);
		assertThat(this.jdbc.queryForObject("SELECT on_hand FROM stock_item WHERE sku = 'TWICE-A'", Long.class))
			.isEqualTo(100 - 2 - 1);
		assertThat(this.jdbc.queryForObject("SELECT event_id FROM applied_purchase WHERE purchase_id = ?", String.class,
				first.purchaseId()))
			.isEqualTo(first.eventId().toString());
	}

	@Test
	void migratesPostgresqlWithTheSameScripts() {
		assertThat(this.jdbc.queryForList("SELECT success FROM flyway_schema_history WHERE version IS NOT NULL",
				Boolean.class))
			.isNotEmpty()
			.containsOnly(true);
		List<Map<String, Object>> seeded = this.jdbc.queryForList("SELECT sku FROM stock_item WHERE sku = 'SKU-1'");
		assertThat(seeded).hasSize(1);
	}

	/** Receives whatever is open, as a warehouse would, while the purchases stream in. */
	private long receiveOpenOrders(List<String> skus) {
		long units = 0;
		for (Map<String, Object> order : this.jdbc.queryForList(
				"SELECT id, quantity FROM replenishment_order WHERE status = 'OPEN' AND sku IN (?, ?, ?)", skus.get(0),
				skus.get(1), skus.get(2))) {
			if (receive("/replenishments/" + order.get("id") + "/receipt")) {
				units += ((Number) order.get("quantity")).longValue();
			}
		}
		return units;
	}

	private boolean receive(String path) {
		// 409 when the order was received in the meantime: then it is not ours to count.
		return this.http.post().uri(path).exchange().returnResult(String.class).getStatus().value() == 200;
	}

}
