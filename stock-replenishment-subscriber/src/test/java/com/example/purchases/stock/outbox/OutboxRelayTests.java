package com.example.purchases.stock.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import com.example.purchases.messaging.RecordSpans;
import com.example.purchases.testing.TopicReader;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox relayed by two replicas at once, on PostgreSQL ({@code POSTGRES_IMAGE}), with a
 * backlog of several batches: each SKU's events reach the topic in the order they were written,
 * and a relay whose broker does not answer gives its turn up within its send timeout. Skipped
 * where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
@EmbeddedKafka(topics = OutboxRelayTests.TOPIC, partitions = 3)
class OutboxRelayTests {

	static final String TOPIC = "stock.replenishment-requested";

	@Container
	static final PostgreSQLContainer postgres = new PostgreSQLContainer(
			DockerImageName.parse(System.getenv().getOrDefault("POSTGRES_IMAGE", "postgres:17"))
				.asCompatibleSubstituteFor("postgres"));

	private final List<DefaultKafkaProducerFactory<byte[], byte[]>> producers = new ArrayList<>();

	private DriverManagerDataSource dataSource;

	@BeforeEach
	void migrate() {
		this.dataSource = new DriverManagerDataSource(postgres.getJdbcUrl(), postgres.getUsername(),
				postgres.getPassword());
		Flyway.configure().dataSource(this.dataSource).locations("classpath:db/migration").load().migrate();
	}

	@AfterEach
	void close() {
		this.producers.forEach(DefaultKafkaProducerFactory::destroy);
	}

	@Test
	void twoReplicasRelayABacklogOfManyBatchesInTheOrderItWasWritten(EmbeddedKafkaBroker broker) throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<String> skus = List.of(run + "-A", run + "-B", run + "-C");
		int perSku = 120;
		for (int n = 0; n < perSku; n++) {
			for (String sku : skus) {
				write(sku, n);
			}
		}
		OutboxRelay first = relay(broker.getBrokersAsString(), 25, Duration.ofSeconds(10));
		OutboxRelay second = relay(broker.getBrokersAsString(), 25, Duration.ofSeconds(10));
		ExecutorService replicas = Executors.newFixedThreadPool(2);
		try {
			// Both replicas' schedules, round after round, until the outbox is empty.
			CompletableFuture<?> a = CompletableFuture.runAsync(() -> relayUntilEmpty(first), replicas);
			CompletableFuture<?> b = CompletableFuture.runAsync(() -> relayUntilEmpty(second), replicas);
			CompletableFuture.allOf(a, b).get();
		}
		finally {
			replicas.shutdownNow();
		}

		Map<String, List<Integer>> received = new LinkedHashMap<>();
		for (ConsumerRecord<byte[], byte[]> record : TopicReader.read(broker.getBrokersAsString(), TOPIC,
				(record) -> new String(record.key(), StandardCharsets.UTF_8).startsWith(run), skus.size() * perSku,
				Duration.ofSeconds(30), Duration.ofMillis(500))) {
			received.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), (sku) -> new ArrayList<>())
				.add(sequenceOf(record));
		}
		assertThat(received).containsOnlyKeys(skus);
		received.forEach((sku, sequence) -> assertThat(sequence).as(sku).isSorted().hasSize(perSku));
	}

	@Test
	void aRelayWhoseBrokerDoesNotAnswerGivesItsTurnUpWithinItsSendTimeout(EmbeddedKafkaBroker broker) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		write(run + "-A", 0);
		// Nothing listens there: sends wait for metadata, and the wait is bounded.
		OutboxRelay stuck = relay("localhost:1", 25, Duration.ofSeconds(2));
		Instant started = Instant.now();
		stuck.relay();
		assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(8));
		assertThat(unpublished()).isPositive();

		relay(broker.getBrokersAsString(), 25, Duration.ofSeconds(10)).relay();

		await().atMost(Duration.ofSeconds(10)).until(() -> unpublished() == 0);
	}

	private void relayUntilEmpty(OutboxRelay relay) {
		Instant deadline = Instant.now().plusSeconds(60);
		while (unpublished() > 0 && Instant.now().isBefore(deadline)) {
			relay.relay();
		}
	}

	private long unpublished() {
		return new JdbcTemplate(this.dataSource).queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL",
				Long.class);
	}

	/** An event as the reorder policy writes it: in its own transaction, one after the other. */
	private void write(String sku, int sequence) {
		new JdbcTemplate(this.dataSource).update("""
				INSERT INTO outbox (id, topic, record_key, ce_type, ce_source, ce_subject, ce_time, payload, created_at)
				VALUES (?, ?, ?, 'com.example.stock.replenishment-requested.v1', '/stock-replenishment-subscriber', ?, ?, ?, ?)""",
				UUID.randomUUID(), TOPIC, sku, UUID.randomUUID().toString(), OffsetDateTime.now(ZoneOffset.UTC),
				"{\"sequence\":" + sequence + "}", OffsetDateTime.now(ZoneOffset.UTC));
	}

	private OutboxRelay relay(String brokers, int batchSize, Duration sendTimeout) {
		DefaultKafkaProducerFactory<byte[], byte[]> producer = new DefaultKafkaProducerFactory<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				ByteArraySerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000));
		this.producers.add(producer);
		StaticListableBeanFactory none = new StaticListableBeanFactory();
		return new OutboxRelay(JdbcClient.create(this.dataSource), new KafkaTemplate<>(producer),
				new DataSourceTransactionManager(this.dataSource),
				new OutboxProperties(true, Duration.ofMillis(200), batchSize, sendTimeout, Duration.ofDays(7)),
				new RecordSpans(none.getBeanProvider(io.micrometer.tracing.Tracer.class),
						none.getBeanProvider(io.micrometer.tracing.propagation.Propagator.class)));
	}

	private static int sequenceOf(ConsumerRecord<byte[], byte[]> record) {
		String payload = new String(record.value(), StandardCharsets.UTF_8);
		return Integer.parseInt(payload.replaceAll("\\D", ""));
	}

}
