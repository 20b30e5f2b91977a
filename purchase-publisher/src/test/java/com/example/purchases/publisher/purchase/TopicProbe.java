package com.example.purchases.publisher.purchase;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what lands on a topic from the moment it is created, as any consumer would: raw
 * bytes, every partition, no group.
 */
final class TopicProbe implements AutoCloseable {

	private final KafkaConsumer<String, byte[]> consumer;

	TopicProbe(String bootstrapServers, String topic) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
		List<TopicPartition> partitions = this.consumer.partitionsFor(topic)
			.stream()
			.map((info) -> new TopicPartition(topic, info.partition()))
			.toList();
		this.consumer.assign(partitions);
		this.consumer.seekToEnd(partitions);
		partitions.forEach(this.consumer::position); // resolve the lazy seek now, not at the first poll
	}

	/**
	 * Polls until the given number of records arrived since the probe was created, or the
	 * timeout passed.
	 */
	List<ConsumerRecord<String, byte[]>> await(int count, Duration timeout) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		Instant deadline = Instant.now().plus(timeout);
		while (records.size() < count && Instant.now().isBefore(deadline)) {
			this.consumer.poll(Duration.ofMillis(100)).forEach(records::add);
		}
		return records;
	}

	@Override
	public void close() {
		this.consumer.close(Duration.ofSeconds(1));
	}

}
