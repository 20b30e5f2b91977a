package com.example.purchases.history;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import com.example.purchases.testing.PostgresDatabase;
import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;
import com.example.purchases.testing.TopicReader;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.context.ImportTestcontainers;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history on PostgreSQL ({@code POSTGRES_IMAGE}, default {@code postgres:17}): the same
 * migrations, several replicas sharing one database while partitions move between them, the
 * database dropping its connections under load, and the statements only PostgreSQL gets
 * (PostgresPurchaseRows) with duplicates, a refused record and odd ids in one poll. Skipped
 * where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
@ImportTestcontainers(PostgresDatabase.class)
@SpringBootTest(properties = "spring.kafka.consumer.max-poll-records=100")
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class PostgresHistoryTests {

	@Autowired
	MessageListenerContainer consumer;

	@Autowired
	MeterRegistry meters;

	// The broker of this test's context: the system property that @EmbeddedKafka also sets is
	// the last started broker's, whichever context that was.
	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	KafkaTemplate<byte[], byte[]> kafka;

	// The test's own reads use a fresh connection each, out of the application's pool, so that
	// killing the application's connections does not break the test.
	JdbcTemplate jdbc;

	@BeforeEach
	void connect() {
		this.jdbc = new JdbcTemplate(new DriverManagerDataSource(PostgresDatabase.postgres.getJdbcUrl(),
				PostgresDatabase.postgres.getUsername(), PostgresDatabase.postgres.getPassword()));
	}

	@Test
	void twoReplicasShareTheDatabaseWhilePartitionsMoveBetweenThem() {
		ConfigurableApplicationContext second = new SpringApplicationBuilder(PurchaseHistoryApplication.class)
			.run(PostgresDatabase.replica(this.broker.getBrokersAsString(), "--spring.kafka.consumer.max-poll-records=100"));
		List<Purchase> purchases;
		try {
			purchases = publish("shared", 3000);
			await().atMost(Duration.ofSeconds(60)).until(() -> recorded("shared") >= 1000);
		}
		finally {
			second.close(); // its partitions move to the first replica mid-stream
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> recorded("shared") == purchases.size());
		assertSummariesAreTheSumsOf(purchases);
	}

	@Test
	void keepsEveryPurchaseOnceWhenTheDatabaseDropsItsConnections() throws Exception {
		MessageListenerContainer consumer = this.consumer;
		consumer.stop();
		List<Purchase> purchases = publish("dropped", 3000); // a backlog, so that the drops hit it mid-stream
		double retries = this.meters.get("consumer.retries").counter().count();
		consumer.start();
		for (int i = 0; i < 3; i++) {
			int seen = recorded("dropped");
			await().atMost(Duration.ofSeconds(30)).until(() -> recorded("dropped") > seen);
			terminateOtherConnections();
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> recorded("dropped") == purchases.size());
		assertSummariesAreTheSumsOf(purchases);
		assertThat(this.meters.get("consumer.retries").counter().count()).isGreaterThan(retries);
	}

	@Test
	void setBasedStatementsKeepTheFirstOfDuplicatesInOnePoll() {
		Purchase first = Purchase.of("pgdup-1", "BRL", Line.of("SKU-1", 1, "10.00"));
		backlog(first, first, first.withEventId(UUID.randomUUID()).withItems(Line.of("SKU-9", 5, "99.00")),
				Purchase.of("pgdup-1", "BRL", Line.of("SKU-2", 1, "1.00")));
		await().atMost(Duration.ofSeconds(60)).until(() -> recorded("pgdup") == 2);
		assertThat(this.jdbc.queryForList("SELECT sku FROM purchase_line WHERE purchase_id = ?", String.class,
				first.purchaseId()))
			.containsExactly("SKU-1");
		assertThat(this.jdbc.queryForMap("SELECT s.purchase_count, t.total FROM customer_summary s "
				+ "JOIN customer_total t USING (customer_id) WHERE customer_id = 'pgdup-1'"))
			.satisfies((row) -> assertThat(row.get("purchase_count")).isEqualTo(2L))
			.satisfies((row) -> assertThat((BigDecimal) row.get("total")).isEqualByComparingTo("11.00"));
	}

	@Test
	void setBasedStatementsStoreIdsThatLookLikeArraySyntaxAsSent() {
		// What the contract and the CloudEvents check let through: NULL is an identifier, and an
		// event id may hold quotes, braces, commas and backslashes.
		String eventId = "odd\"{1,NULL}\\x";
		Purchase odd = Purchase.of("NULL", "BRL", Line.of("NULL", 1, "3.00"));
		RecordHeaders headers = PublishedPurchases.headersOf(odd);
		headers.remove("ce_id");
		headers.add("ce_id", PublishedPurchases.bytes(eventId));
		this.consumer.stop();
		PublishedPurchases publisher = new PublishedPurchases(this.kafka);
		publisher.publish(Purchase.of("pgodd-1", "BRL", Line.of("SKU-1", 1, "1.00")));
		publisher.send(new ProducerRecord<>(PublishedPurchases.TOPIC, null, null, PublishedPurchases.bytes("NULL"),
				PublishedPurchases.bytes(odd.json()), headers));
		publisher.publish(Purchase.of("pgodd-1", "BRL", Line.of("SKU-1", 1, "1.00")));
		this.consumer.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> recorded("pgodd") == 2);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM purchase WHERE purchase_id = ?", Integer.class,
					odd.purchaseId()) == 1);
		assertThat(this.jdbc.queryForMap("SELECT customer_id, event_id FROM purchase WHERE purchase_id = ?",
				odd.purchaseId()))
			.containsEntry("customer_id", "NULL")
			.containsEntry("event_id", eventId);
		assertThat(this.jdbc.queryForList("SELECT sku FROM purchase_line WHERE purchase_id = ?", String.class,
				odd.purchaseId()))
			.containsExactly("NULL");
		assertThat(this.jdbc.queryForObject("SELECT purchase_count FROM customer_summary WHERE customer_id = 'NULL'",
				Long.class))
			.isEqualTo(1);
	}

	@Test
	void setBasedStatementsDeadLetterWhatTheDatabaseRefusesAlone() {
		this.jdbc.execute("ALTER TABLE purchase ADD CONSTRAINT refuse_one CHECK (customer_id <> 'pgrefused-1')");
		try {
			backlog(Purchase.of("pgkept-1", "BRL", Line.of("SKU-1", 1, "1.00")),
					Purchase.of("pgrefused-1", "BRL", Line.of("SKU-1", 1, "2.00")),
					Purchase.of("pgkept-1", "BRL", Line.of("SKU-1", 1, "4.00")));
			await().atMost(Duration.ofSeconds(60)).until(() -> recorded("pgkept") == 2);
			List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader.read(this.broker.getBrokersAsString(),
					"purchases.completed.purchase-history.dlt",
					(record) -> new String(record.key(), StandardCharsets.UTF_8).equals("pgrefused-1"), 1,
					Duration.ofSeconds(30), Duration.ofMillis(300));
			assertThat(deadLetters).singleElement()
				.satisfies((deadLetter) -> assertThat(new String(deadLetter.headers().lastHeader("dlt-reason").value(),
						StandardCharsets.UTF_8))
					.startsWith("cannot be stored (SQLSTATE 23514)"));
		}
		finally {
			this.jdbc.execute("ALTER TABLE purchase DROP CONSTRAINT refuse_one");
		}
		assertThat(this.jdbc.queryForObject("SELECT total FROM customer_total WHERE customer_id = 'pgkept-1'",
				BigDecimal.class))
			.isEqualByComparingTo("5.00");
		assertThat(recorded("pgrefused")).isZero();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM customer_summary WHERE customer_id = 'pgrefused-1'",
				Integer.class))
			.isZero();
	}

	/** Publishes while the consumer is stopped, so that the purchases reach it in one poll. */
	private void backlog(Purchase... purchases) {
		this.consumer.stop();
		PublishedPurchases publisher = new PublishedPurchases(this.kafka);
		for (Purchase purchase : purchases) {
			publisher.publish(purchase);
		}
		this.consumer.start();
	}

	@Test
	void migratesPostgresqlWithTheSameScripts() {
		assertThat(this.jdbc.queryForList("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL"))
			.isNotEmpty()
			.allSatisfy((row) -> assertThat(row.get("success")).isEqualTo(true));
		assertThat(this.jdbc.queryForObject("SELECT data_type FROM information_schema.columns "
				+ "WHERE table_name = 'purchase' AND column_name = 'total'", String.class))
			.isEqualTo("numeric");
	}

	private List<Purchase> publish(String prefix, int count) {
		PublishedPurchases publisher = new PublishedPurchases(this.kafka);
		List<Purchase> purchases = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Purchase purchase = Purchase.of(prefix + "-" + (i % 101), (i % 5 == 0) ? "USD" : "BRL",
					Line.of("SKU-" + (i % 17), 1 + i % 4, (i % 7) + ".25"));
			publisher.publish(purchase);
			purchases.add(purchase);
		}
		return purchases;
	}

	private int recorded(String prefix) {
		return this.jdbc.queryForObject("SELECT count(*) FROM purchase WHERE customer_id LIKE ?", Integer.class,
				prefix + "-%");
	}

	private void assertSummariesAreTheSumsOf(List<Purchase> purchases) {
		Map<String, Long> counts = new HashMap<>();
		Map<String, BigDecimal> totals = new HashMap<>();
		for (Purchase purchase : purchases) {
			counts.merge(purchase.customerId(), 1L, Long::sum);
			totals.merge(purchase.customerId() + "/" + purchase.currency(), purchase.total(), BigDecimal::add);
		}
		counts.forEach((customer, count) -> assertThat(this.jdbc.queryForObject(
				"SELECT purchase_count FROM customer_summary WHERE customer_id = ?", Long.class, customer))
			.as(customer)
			.isEqualTo(count));
		totals.forEach((key, total) -> assertThat(this.jdbc.queryForObject(
				"SELECT total FROM customer_total WHERE customer_id = ? AND currency = ?", BigDecimal.class,
				key.split("/")[0], key.split("/")[1]))
			.as(key)
			.isEqualByComparingTo(total));
	}

	private static void terminateOtherConnections() throws Exception {
		try (Connection connection = DriverManager.getConnection(PostgresDatabase.postgres.getJdbcUrl(), PostgresDatabase.postgres.getUsername(),
				PostgresDatabase.postgres.getPassword()); Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
					+ "WHERE datname = current_database() AND pid <> pg_backend_pid()");
		}
	}

}
