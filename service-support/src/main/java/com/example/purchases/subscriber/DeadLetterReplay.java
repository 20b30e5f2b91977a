package com.example.purchases.subscriber;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.subscriber.SubscriberPipeline.Outcome;

import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Replays a group's dead letters once their cause is fixed: every record in the dead-letter
 * topic at the time of the call goes through the same reader and the same idempotent handler as
 * live records ({@link SubscriberPipeline#apply}). Records that still fail go back to the end
 * of the dead-letter topic with their new reason, for a later replay. Replaying into this group
 * only, not into the source topic, leaves the other groups alone.
 * <p>
 * It holds with replicas and with failures: the replay consumer is a member of the group
 * {@code <group>.dlt-replay}, so replicas replaying at once share the partitions instead of
 * each taking every record; and the records put back and the replay's progress are written in
 * one Kafka transaction, fenced by that group's generation. A replay cut short (the database
 * down, a replica gone, a rebalance) commits neither, and the next one takes those records
 * again: applying them again changes nothing, and their put-backs, which were never committed,
 * are never read ({@code read_committed}). A record still failing is put back once.
 */
final class DeadLetterReplay {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterReplay.class);

	private static final Duration POLL = Duration.ofMillis(200);

	private final ConsumerFactory<byte[], byte[]> consumers;

	private final ProducerFactory<byte[], byte[]> producers;

	private final String topic;

	private final String group;

	private final SubscriberPipeline<?> pipeline;

	private final Duration timeout;

	/**
	 * @param consumers creates the replay consumer (from {@code spring.kafka.consumer.*})
	 * @param producers whose settings the transactional producer of put-backs starts from
	 * @param properties the subscriber
	 * @param pipeline reads and applies the dead letters as live records
	 */
	DeadLetterReplay(ConsumerFactory<byte[], byte[]> consumers, ProducerFactory<byte[], byte[]> producers,
			SubscriberProperties properties, SubscriberPipeline<?> pipeline) {
		this.consumers = consumers;
		this.producers = producers;
		this.topic = properties.deadLetterTopic();
		this.group = properties.group();
		this.pipeline = pipeline;
		this.timeout = properties.replayTimeout();
	}

	/** The dead-letter topic. */
	String topic() {
		return this.topic;
	}

	/**
	 * @return how many dead letters a replay would take now (read, not estimated from offsets:
	 * the markers of the replays' transactions take offsets too)
	 */
	long pending() {
		try (Consumer<byte[], byte[]> consumer = consumer(this.group + ".dlt-replay")) {
			List<TopicPartition> partitions = partitions(consumer);
			consumer.assign(partitions);
			Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions),
					Duration.ofSeconds(10));
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata offset = committed.get(partition);
				if (offset != null) {
					consumer.seek(partition, offset);
				}
				else {
					consumer.seekToBeginning(List.of(partition));
				}
			}
			long pending = 0;
			Instant deadline = Instant.now().plus(this.timeout);
			while (!caughtUp(consumer, partitions, end) && Instant.now().isBefore(deadline)) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
					if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
						pending++;
					}
				}
			}
			return pending;
		}
	}

	/**
	 * Replays the dead letters of the partitions this replica is given, that are in the topic
	 * now.
	 * @return what happened to them
	 * @throws RuntimeException if the replay was cut short; what it did not commit is replayed
	 * next time
	 */
	Result replay() {
		Counts counts = new Counts();
		Set<TopicPartition> assigned = new HashSet<>();
		boolean[] joined = { false };
		try (Consumer<byte[], byte[]> consumer = consumer(this.group + ".dlt-replay");
				Producer<byte[], byte[]> producer = transactionalProducer()) {
			producer.initTransactions();
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions(consumer));
			consumer.subscribe(List.of(this.topic), new ConsumerRebalanceListener() {

				@Override
				public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
					assigned.addAll(partitions);
					joined[0] = true;
				}

				@Override
				public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
					assigned.removeAll(partitions);
				}

			});
			Instant deadline = Instant.now().plus(this.timeout);
			while (Instant.now().isBefore(deadline)) {
				ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
				if (!polled.isEmpty()) {
					replay(polled, end, consumer, producer, counts);
				}
				else if (joined[0] && caughtUp(consumer, assigned, end)) {
					break;
				}
			}
		}
		Result result = counts.result();
		logger.info("Replayed dead letters of {}: {}", this.topic, result);
		return result;
	}

	private void replay(ConsumerRecords<byte[], byte[]> polled, Map<TopicPartition, Long> end,
			Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Counts counts) {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
		for (ConsumerRecord<byte[], byte[]> record : polled) {
			TopicPartition partition = new TopicPartition(record.topic(), record.partition());
			// Later records arrived during this replay, such as its own put-backs: next time.
			if (record.offset() < end.getOrDefault(partition, 0L)) {
				records.add(record);
			}
			done.put(partition, new OffsetAndMetadata(record.offset() + 1));
		}
		Outcome outcome = this.pipeline.apply(records);
		producer.beginTransaction();
		try {
			outcome.refused().forEach((refused) -> producer.send(DeadLetters.putBack(refused.record(), refused.reason())));
			producer.sendOffsetsToTransaction(done, consumer.groupMetadata());
			producer.commitTransaction();
		}
		catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException ex) {
			throw ex; // the producer cannot go on, not even to abort
		}
		catch (KafkaException ex) {
			// A rebalance moved partitions while they were replayed (the group's generation
			// fences the commit), or the broker failed: nothing of this poll is committed, and
			// it is taken again from the group's offsets, here or by the replica that has them now.
			producer.abortTransaction();
			logger.info("Replay of {} goes back to its committed offsets: {}", done.keySet(), ex.toString());
			rewind(consumer, done.keySet());
			return;
		}
		counts.add(outcome, records.size());
	}

	private static void rewind(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
		Set<TopicPartition> mine = new HashSet<>(partitions);
		mine.retainAll(consumer.assignment());
		Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(mine);
		for (TopicPartition partition : mine) {
			OffsetAndMetadata offset = committed.get(partition);
			if (offset != null) {
				consumer.seek(partition, offset);
			}
			else {
				consumer.seekToBeginning(List.of(partition));
			}
		}
	}

	private Consumer<byte[], byte[]> consumer(String groupId) {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
		return this.consumers.createConsumer(groupId, null, "-" + UUID.randomUUID(), overrides);
	}

	private Producer<byte[], byte[]> transactionalProducer() {
		Map<String, Object> config = new HashMap<>(this.producers.getConfigurationProperties());
		config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, this.group + ".dlt-replay-" + UUID.randomUUID());
		config.put(ProducerConfig.CLIENT_ID_CONFIG, this.group + "-dlt-replay");
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return new KafkaProducer<>(config);
	}

	private List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer) {
		return consumer.partitionsFor(this.topic)
			.stream()
			.map((info) -> new TopicPartition(this.topic, info.partition()))
			.toList();
	}

	private static boolean caughtUp(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
			Map<TopicPartition, Long> end) {
		return partitions.stream().allMatch((partition) -> consumer.position(partition) >= end.getOrDefault(partition, 0L));
	}

	/**
	 * What a replay did.
	 *
	 * @param replayed dead letters taken from the topic by this replica
	 * @param applied of those, applied now
	 * @param duplicates of those, applied before (nothing changed)
	 * @param stillFailing of those, still refused and put back at the end of the topic
	 */
	record Result(int replayed, int applied, int duplicates, int stillFailing) {
	}

	private static final class Counts {

		private int replayed;

		private int applied;

		private int duplicates;

		private int stillFailing;

		void add(Outcome outcome, int replayed) {
			this.replayed += replayed;
			this.applied += outcome.applied();
			this.duplicates += outcome.duplicates();
			this.stillFailing += outcome.refused().size();
		}

		Result result() {
			return new Result(this.replayed, this.applied, this.duplicates, this.stillFailing);
		}

	}

}
