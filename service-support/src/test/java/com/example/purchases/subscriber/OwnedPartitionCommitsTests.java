package com.example.purchases.subscriber;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer that lost a partition in a rebalance and then commits the offsets of a poll it read
 * before (a poll retried across the rebalance) commits nothing for that partition: what its new
 * owner committed stays. A plain consumer's commit goes over it, which is why the starter wraps
 * them.
 */
@EmbeddedKafka(partitions = 2, topics = OwnedPartitionCommitsTests.TOPIC)
class OwnedPartitionCommitsTests {

	static final String TOPIC = "owned-commits";

	@Test
	void aConsumerCommitsNothingForAPartitionItLost(EmbeddedKafkaBroker broker) {
		Committed committed = rebalanceThenCommitStale(broker, true);
		assertThat(committed.lost()).isEqualTo(5);
		assertThat(committed.kept()).isEqualTo(2);
	}

	@Test
	void aPlainConsumerWouldCommitOverTheNewOwner(EmbeddedKafkaBroker broker) {
		assertThat(rebalanceThenCommitStale(broker, false).lost()).isEqualTo(2);
	}

	/**
	 * Consumer A owns both partitions, B joins and takes one, B commits 5 for it, then A commits
	 * 2 for both, as a retried poll would.
	 * @return the group's committed offsets then
	 */
	private Committed rebalanceThenCommitStale(EmbeddedKafkaBroker broker, boolean owned) {
		DefaultKafkaConsumerFactory<byte[], byte[]> factory = new DefaultKafkaConsumerFactory<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(), ConsumerConfig.GROUP_ID_CONFIG,
						"owned-" + UUID.randomUUID(), ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
						ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
						ByteArrayDeserializer.class, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
		if (owned) {
			OwnedPartitionCommits.install(factory);
		}
		TopicPartition p0 = new TopicPartition(TOPIC, 0);
		TopicPartition p1 = new TopicPartition(TOPIC, 1);
		try (Consumer<byte[], byte[]> a = factory.createConsumer(); Consumer<byte[], byte[]> b = factory.createConsumer()) {
			a.subscribe(List.of(TOPIC));
			await("A owns both partitions").atMost(Duration.ofSeconds(30))
				.until(() -> poll(a).assignment().size() == 2);
			b.subscribe(List.of(TOPIC));
			await("the partitions shared").atMost(Duration.ofSeconds(60))
				.until(() -> {
					poll(a);
					poll(b);
					return a.assignment().size() == 1 && b.assignment().size() == 1;
				});
			TopicPartition lost = b.assignment().iterator().next();
			TopicPartition kept = lost.equals(p0) ? p1 : p0;
			b.commitSync(Map.of(lost, new OffsetAndMetadata(5)));
			a.commitSync(Map.of(p0, new OffsetAndMetadata(2), p1, new OffsetAndMetadata(2)));
			Map<TopicPartition, OffsetAndMetadata> offsets = a.committed(Set.of(p0, p1));
			return new Committed(offsets.get(lost).offset(), offsets.get(kept).offset());
		}
	}

	/** What the group committed for the partition A lost to B, and for the one A kept. */
	private record Committed(long lost, long kept) {
	}

	private static Consumer<byte[], byte[]> poll(Consumer<byte[], byte[]> consumer) {
		consumer.poll(Duration.ofMillis(100));
		return consumer;
	}

}
