package com.example.purchases.history;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.purchases.history.PublishedPurchases.Line;
import com.example.purchases.history.PublishedPurchases.Purchase;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.context.EmbeddedKafka;

import io.micrometer.core.instrument.MeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping and restarting the consumer in the middle of a stream, and the whole log delivered
 * again: each purchase still counts once.
 */
@SpringBootTest(properties = {
		"spring.datasource.url=jdbc:h2:mem:restart-tests;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
		"spring.kafka.consumer.max-poll-records=50" })
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ConsumerRestartTests {

	private static final String GROUP = "purchase-history";

	@Value("${spring.kafka.bootstrap-servers}")
	String brokers;

	@Autowired
	KafkaTemplate<byte[], byte[]> kafka;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Autowired
	MeterRegistry meters;

	Admin admin;

	MessageListenerContainer consumer;

	@BeforeEach
	void connect() {
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers));
		this.consumer = this.listeners.getListenerContainer(GROUP);
	}

	@AfterEach
	void disconnect() {
		this.admin.close();
	}

	@Test
	void aGracefulStopMidStreamCommitsExactlyWhatItRecorded() throws Exception {
		int before = recorded();
		this.consumer.stop();
		publish("graceful", 3000); // a backlog, so that the stop below falls in the middle of it
		this.consumer.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> recorded() >= before + 300);

		this.consumer.stop(); // returns once the batch in hand is recorded and committed

		assertThat(this.consumer.isRunning()).isFalse();
		int recordedAtStop = recorded();
		assertThat(recordedAtStop).isLessThan(before + 3000); // it did stop mid-stream
		assertThat(committed()).isEqualTo(recordedAtStop);

		double duplicates = duplicates();
		this.consumer.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> recorded() == before + 3000);
		assertThat(duplicates()).isEqualTo(duplicates); // nothing was delivered twice
		await().atMost(Duration.ofSeconds(10)).until(() -> committed() == before + 3000);
	}

	@Test
	void theWholeLogDeliveredAgainChangesNothing() throws Exception {
		publish("again", 500);
		await().atMost(Duration.ofSeconds(30)).until(() -> committed() == recorded() && recorded() >= 500);
		List<Map<String, Object>> summaries = summaries();
		int recorded = recorded();
		double duplicates = duplicates();

		this.consumer.stop();
		Map<TopicPartition, OffsetAndMetadata> beginning = this.admin.listConsumerGroupOffsets(GROUP)
			.partitionsToOffsetAndMetadata()
			.get()
			.keySet()
			.stream()
			.collect(Collectors.toMap(Function.identity(), (partition) -> new OffsetAndMetadata(0)));
		this.admin.alterConsumerGroupOffsets(GROUP, beginning).all().get();
		this.consumer.start();

		await().atMost(Duration.ofSeconds(60)).until(() -> duplicates() - duplicates == recorded);
		assertThat(recorded()).isEqualTo(recorded);
		assertThat(summaries()).isEqualTo(summaries);
	}

	private void publish(String prefix, int count) {
		PublishedPurchases publisher = new PublishedPurchases(this.kafka);
		for (int i = 0; i < count; i++) {
			publisher.publish(Purchase.of(prefix + "-" + (i % 97), "BRL", Line.of("SKU-" + (i % 13), 1 + i % 3, "9.99")));
		}
	}

	private int recorded() {
		return this.jdbc.queryForObject("SELECT count(*) FROM purchase", Integer.class);
	}

	private long committed() throws Exception {
		return this.admin.listConsumerGroupOffsets(GROUP)
			.partitionsToOffsetAndMetadata()
			.get()
			.values()
			.stream()
			.mapToLong(OffsetAndMetadata::offset)
			.sum();
	}

	private double duplicates() {
		return this.meters.get("history.events.duplicates").counter().count();
	}

	private List<Map<String, Object>> summaries() {
		return this.jdbc.queryForList("""
				SELECT s.customer_id, s.purchase_count, s.first_purchase_at, s.last_purchase_at, t.currency, t.total
				FROM customer_summary s JOIN customer_total t ON t.customer_id = s.customer_id
				ORDER BY s.customer_id, t.currency""");
	}

}
