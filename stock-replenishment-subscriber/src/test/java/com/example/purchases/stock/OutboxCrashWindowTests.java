package com.example.purchases.stock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;
import com.example.purchases.testing.Replicas;
import com.example.purchases.testing.TopicReader;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The window between the database commit of a replenishment order and the publication of its
 * event: a crash there neither loses the event nor creates the order twice.
 */
@EmbeddedKafka
class OutboxCrashWindowTests {

	private static final String REPLENISHMENTS = "stock.replenishment-requested";

	private ConfigurableApplicationContext service;

	@AfterEach
	void stop() {
		if (this.service != null) {
			this.service.close();
		}
	}

	@Test
	void anEventCommittedButNotSentBeforeACrashIsSentAfterTheRestart(EmbeddedKafkaBroker broker) {
		String database = "crash-" + UUID.randomUUID();
		String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
		// The process that commits the order dies before its relay runs: relay disabled here.
		this.service = start(broker, database, false);
		new PublishedPurchases(template()).publish(Purchase.of("c-1", "BRL", Line.of(sku, 90, "1.00")));
		JdbcTemplate beforeCrash = this.service.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> count(beforeCrash, "SELECT count(*) FROM outbox") == 1);
		UUID eventId = beforeCrash.queryForObject("SELECT id FROM outbox", UUID.class);
		this.service.close();
		assertThat(events(broker, sku, 0)).isEmpty();

		this.service = start(broker, database, true);

		List<ConsumerRecord<byte[], byte[]>> events = events(broker, sku, 1);
		assertThat(events).singleElement()
			.satisfies((event) -> assertThat(header(event, "ce_id")).isEqualTo(eventId.toString()));
		JdbcTemplate afterRestart = this.service.getBean(JdbcTemplate.class);
		assertThat(count(afterRestart, "SELECT count(*) FROM replenishment_order")).isEqualTo(1);
		assertThat(count(afterRestart, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).isZero();
	}

	@Test
	void anEventSentButNotMarkedIsSentAgainUnderTheSameId(EmbeddedKafkaBroker broker) {
		String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
		this.service = start(broker, "resend-" + UUID.randomUUID(), true);
		JdbcTemplate jdbc = this.service.getBean(JdbcTemplate.class);
		// The broker acknowledges, then the transaction that marks the event published fails:
		// as if the process died between the two.
		jdbc.execute("ALTER TABLE outbox ADD CONSTRAINT never_published CHECK (published_at IS NULL)");
		new PublishedPurchases(template()).publish(Purchase.of("c-1", "BRL", Line.of(sku, 90, "1.00")));

		List<ConsumerRecord<byte[], byte[]>> resent = events(broker, sku, 2);
		assertThat(resent).hasSizeGreaterThanOrEqualTo(2);
		jdbc.execute("ALTER TABLE outbox DROP CONSTRAINT never_published");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> count(jdbc, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);

		List<ConsumerRecord<byte[], byte[]>> events = events(broker, sku, resent.size());
		assertThat(events.stream().map((event) -> header(event, "ce_id")).distinct()).hasSize(1);
		assertThat(events.stream().map((event) -> new String(event.value(), StandardCharsets.UTF_8)).distinct())
			.hasSize(1);
		assertThat(count(jdbc, "SELECT count(*) FROM replenishment_order")).isEqualTo(1);
	}

	private ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, String database, boolean relay) {
		return new SpringApplicationBuilder(StockReplenishmentApplication.class).run(Replicas.commandLine(
				broker.getBrokersAsString(),
				"--spring.datasource.url=jdbc:h2:mem:" + database
						+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
				"--stock.outbox.relay-enabled=" + relay, "--stock.outbox.poll-interval=100ms"));
	}

	@SuppressWarnings("unchecked")
	private KafkaTemplate<byte[], byte[]> template() {
		return this.service.getBean(KafkaTemplate.class);
	}

	private static List<ConsumerRecord<byte[], byte[]>> events(EmbeddedKafkaBroker broker, String sku, int expected) {
		return TopicReader.read(broker.getBrokersAsString(), REPLENISHMENTS,
				(record) -> Arrays.equals(record.key(), PublishedPurchases.bytes(sku)), expected, Duration.ofSeconds(15),
				Duration.ofMillis(500));
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private static long count(JdbcTemplate jdbc, String sql) {
		return jdbc.queryForObject(sql, Long.class);
	}

}
