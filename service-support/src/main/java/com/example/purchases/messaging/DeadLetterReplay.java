package com.example.purchases.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.messaging.EventBatches.EventApplier;

import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Replays a group's dead letters once the cause is fixed: every record in the dead-letter
 * topic at the time of the call goes through the same reader and the same idempotent applier
 * as live records. Records that still cannot be read go back to the end of the dead-letter
 * topic with their new reason, for a later replay. Progress is committed under the group
 * {@code <group>.dlt-replay}, so a record is replayed once.
 * <p>
 * Replaying into this group only, not into the source topic, leaves the other groups alone.
 *
 * @param <T> the consumer's type of the event
 */
public final class DeadLetterReplay<T> {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterReplay.class);

	private static final Duration MAX_DURATION = Duration.ofMinutes(2);

	private final ConsumerFactory<byte[], byte[]> consumers;

	private final KafkaOperations<byte[], byte[]> template;

	private final String topic;

	private final String group;

	private final EventReader<T> reader;

	private final EventApplier<T> applier;

	/**
	 * @param consumers creates the replay consumer
	 * @param template writes records that still fail back to the dead-letter topic
	 * @param sourceTopic the topic the dead letters were read from
	 * @param group the consumer group whose dead letters these are
	 * @param reader reads each dead letter
	 * @param applier applies the events read
	 */
	public DeadLetterReplay(ConsumerFactory<byte[], byte[]> consumers, KafkaOperations<byte[], byte[]> template,
			String sourceTopic, String group, EventReader<T> reader, EventApplier<T> applier) {
		this.consumers = consumers;
		this.template = template;
		this.topic = DeadLetters.topicOf(sourceTopic, group);
		this.group = group;
		this.reader = reader;
		this.applier = applier;
	}

	/** The dead-letter topic. */
	public String topic() {
		return this.topic;
	}

	/**
	 * @return how many dead letters a replay would take now
	 */
	public synchronized long pending() {
		try (Consumer<byte[], byte[]> consumer = replayConsumer()) {
			List<TopicPartition> partitions = assignAll(consumer);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			long pending = 0;
			for (TopicPartition partition : partitions) {
				pending += end.get(partition) - consumer.position(partition);
			}
			return pending;
		}
	}

	/**
	 * Replays every dead letter that is in the topic now.
	 * @return what happened to them
	 */
	public synchronized Result replay() {
		int examined = 0;
		int applied = 0;
		int stillFailing = 0;
		try (Consumer<byte[], byte[]> consumer = replayConsumer()) {
			List<TopicPartition> partitions = assignAll(consumer);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			Instant deadline = Instant.now().plus(MAX_DURATION);
			while (!caughtUp(consumer, partitions, end) && Instant.now().isBefore(deadline)) {
				List<IncomingEvent<T>> events = new ArrayList<>();
				Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					TopicPartition partition = new TopicPartition(record.topic(), record.partition());
					if (record.offset() >= end.get(partition)) {
						continue; // arrived during this replay, e.g. put back by it
					}
					examined++;
					try {
						events.add(this.reader.read(record));
					}
					catch (PoisonRecordException ex) {
						putBack(record, ex.getMessage());
						stillFailing++;
					}
					done.put(partition, new OffsetAndMetadata(record.offset() + 1));
				}
				if (!events.isEmpty()) {
					applied += this.applier.apply(events);
				}
				consumer.commitSync(done);
			}
		}
		Result result = new Result(examined, applied, examined - applied - stillFailing, stillFailing);
		logger.info("Replayed dead letters of {}: {}", this.topic, result);
		return result;
	}

	private Consumer<byte[], byte[]> replayConsumer() {
		Map<String, Object> overrides = Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		return this.consumers.createConsumer(this.group + ".dlt-replay", null, "-dlt-replay",
				toProperties(overrides));
	}

	private List<TopicPartition> assignAll(Consumer<byte[], byte[]> consumer) {
		List<TopicPartition> partitions = consumer.partitionsFor(this.topic)
			.stream()
			.map((info) -> new TopicPartition(this.topic, info.partition()))
			.toList();
		consumer.assign(partitions);
		Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
		for (TopicPartition partition : partitions) {
			OffsetAndMetadata offset = committed.get(partition);
			if (offset != null) {
				consumer.seek(partition, offset);
			}
			else {
				consumer.seekToBeginning(List.of(partition));
			}
		}
		return partitions;
	}

	private static boolean caughtUp(Consumer<?, ?> consumer, List<TopicPartition> partitions,
			Map<TopicPartition, Long> end) {
		return partitions.stream().allMatch((partition) -> consumer.position(partition) >= end.get(partition));
	}

	private void putBack(ConsumerRecord<byte[], byte[]> record, String reason) {
		RecordHeaders headers = new RecordHeaders();
		for (Header header : record.headers()) {
			if (!header.key().equals(DeadLetters.REASON)) {
				headers.add(header);
			}
		}
		headers.add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
		try {
			this.template
				.send(new ProducerRecord<>(this.topic, record.partition(), record.timestamp(), record.key(),
						record.value(), headers))
				.get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaException("Interrupted while putting back a dead letter", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new KafkaException("Could not put back dead letter " + record.partition() + "@" + record.offset(), ex);
		}
	}

	private static Properties toProperties(Map<String, Object> map) {
		Properties properties = new Properties();
		properties.putAll(map);
		return properties;
	}

	/**
	 * What a replay did.
	 *
	 * @param replayed dead letters taken from the topic
	 * @param applied of those, applied now
	 * @param duplicates of those, already applied before (nothing changed)
	 * @param stillFailing of those, still unreadable and put back at the end of the topic
	 */
	public record Result(int replayed, int applied, int duplicates, int stillFailing) {
	}

}
