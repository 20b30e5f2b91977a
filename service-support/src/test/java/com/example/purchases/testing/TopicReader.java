package com.example.purchases.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its beginning, without a group, as raw bytes, as a consumer does
 * ({@code read_committed}).
 */
public final class TopicReader {

	private TopicReader() {
	}

	/**
	 * Polls until at least {@code count} records were read or the timeout passed, then for
	 * {@code settle} more to catch any record beyond the expected ones.
	 */
	public static List<ConsumerRecord<byte[], byte[]>> read(String brokers, String topic, int count, Duration timeout,
			Duration settle) {
		return read(brokers, topic, (record) -> true, count, timeout, settle);
	}

	/**
	 * The same, counting and returning only the records that match.
	 */
	public static List<ConsumerRecord<byte[], byte[]>> read(String brokers, String topic,
			Predicate<ConsumerRecord<byte[], byte[]>> filter, int count, Duration timeout, Duration settle) {
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
				ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
				// What consumers see: not the records of transactions that were aborted.
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
			Instant deadline = Instant.now().plus(timeout);
			while (records.size() < count && Instant.now().isBefore(deadline)) {
				consumer.poll(Duration.ofMillis(100)).forEach((record) -> {
					if (filter.test(record)) {
						records.add(record);
					}
				});
			}
			Instant settled = Instant.now().plus(settle);
			while (Instant.now().isBefore(settled)) {
				consumer.poll(Duration.ofMillis(100)).forEach((record) -> {
					if (filter.test(record)) {
						records.add(record);
					}
				});
			}
			return records;
		}
	}

}
