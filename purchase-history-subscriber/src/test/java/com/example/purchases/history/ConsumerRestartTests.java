package com.example.purchases.history;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;
import com.example.purchases.testing.SubscriberTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping and restarting the consumer in the middle of a stream, and the whole log delivered
 * again: each purchase still counts once.
 */
@SubscriberTest
class ConsumerRestartTests {

	private static final String GROUP = "purchase-history";

	// The broker of this test's context: the system property that @EmbeddedKafka also sets is
	// the last started broker's, whichever context that was.
	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	KafkaTemplate<byte[], byte[]> kafka;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MessageListenerContainer consumer;

	@Autowired
	MeterRegistry meters;

	Admin admin;

	@BeforeEach
	void connect() {
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()));
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

		await().atMost(Duration.ofSeconds(60)).until(() -> duplicates() - duplicates >= recorded);
		assertThat(duplicates() - duplicates).isEqualTo(recorded);
		assertThat(recorded()).isEqualTo(recorded);
		assertThat(summaries()).isEqualTo(summaries);
		// Every record of the log is through again, the poison ones that other tests wrote too.
		await().atMost(Duration.ofSeconds(30)).until(() -> committed() == endOffsets());
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
		return this.meters.get("consumer.events.duplicates").counter().count();
	}

	private long endOffsets() throws Exception {
		Map<TopicPartition, OffsetSpec> latest = this.admin
			.listConsumerGroupOffsets(GROUP)
			.partitionsToOffsetAndMetadata()
			.get()
			.keySet()
			.stream()
			.collect(Collectors.toMap(Function.identity(), (partition) -> OffsetSpec.latest()));
		return this.admin.listOffsets(latest).all().get().values().stream().mapToLong((info) -> info.offset()).sum();
	}

	private List<Map<String, Object>> summaries() {
		return this.jdbc.queryForList("""
				SELECT s.customer_id, s.purchase_count, s.first_purchase_at, s.last_purchase_at, t.currency, t.total
				FROM customer_summary s JOIN customer_total t ON t.customer_id = s.customer_id
				ORDER BY s.customer_id, t.currency""");
	}

}
