package com.example.purchases.subscriber;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.messaging.CloudEvent;
import com.example.purchases.messaging.RecordSpans;

import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaOperations;

/**
 * The dead-letter topic of a consumer group.
 * <p>
 * Each group has its own ({@code <topic>.<group>.dlt}, as many partitions as the source, a
 * record keeps its partition number): Spring Kafka's default name is shared by every group
 * reading the topic, and one group's bad day would become another's replay. A dead letter is
 * the original record byte for byte (key, value, headers) plus readable text headers saying
 * where it came from and why it is there; none of Spring Kafka's binary {@code kafka_dlt-*}
 * headers, no stack traces.
 */
final class DeadLetters {

	/** The topic the record was read from. */
	static final String ORIGINAL_TOPIC = "dlt-original-topic";

	/** Its partition, as decimal text. */
	static final String ORIGINAL_PARTITION = "dlt-original-partition";

	/** Its offset, as decimal text. */
	static final String ORIGINAL_OFFSET = "dlt-original-offset";

	/** Its timestamp, RFC 3339 in UTC. */
	static final String ORIGINAL_TIMESTAMP = "dlt-original-timestamp";

	/** The consumer group that gave up on it. */
	static final String GROUP = "dlt-group";

	/** Why, in one line. */
	static final String REASON = "dlt-reason";

	private static final Logger logger = LoggerFactory.getLogger(DeadLetters.class);

	private final KafkaOperations<byte[], byte[]> template;

	private final String group;

	private final Duration timeout;

	private final RecordSpans spans;

	private final Counter deadLettered;

	/**
	 * @param template writes {@code byte[]} keys and values
	 * @param group the consumer group
	 * @param timeout the longest wait for the broker's acknowledgement
	 * @param spans logs about a record in its trace
	 * @param meters where {@code consumer.dead-lettered{group}} is counted
	 */
	DeadLetters(KafkaOperations<byte[], byte[]> template, String group, Duration timeout, RecordSpans spans,
			MeterRegistry meters) {
		this.template = template;
		this.group = group;
		this.timeout = timeout;
		this.spans = spans;
		this.deadLettered = Counter.builder("consumer.dead-lettered")
			.description("Records sent to the consumer group's dead-letter topic")
			.tag("group", group)
			.register(meters);
	}

	/**
	 * The dead-letter topic of a group.
	 * @param topic the source topic
	 * @param group the consumer group
	 * @return {@code <topic>.<group>.dlt}
	 */
	static String topicOf(String topic, String group) {
		return topic + "." + group + ".dlt";
	}

	/**
	 * Writes refused records to the group's dead-letter topic and waits until the broker has
	 * them all, so that their offsets are committed only once they are safe.
	 * @param refused the records, each with its reason
	 * @throws KafkaException if the broker did not take them all in time; the caller's batch
	 * is then retried (a dead letter may then be written twice, never lost)
	 */
	void write(List<Refused> refused) {
		if (refused.isEmpty()) {
			return;
		}
		List<CompletableFuture<?>> sent = new ArrayList<>(refused.size());
		for (Refused each : refused) {
			ConsumerRecord<byte[], byte[]> record = each.record();
			Headers headers = new RecordHeaders(record.headers().toArray());
			headers(record, this.group, each.reason()).forEach(headers::add);
			sent.add(this.template.send(new ProducerRecord<>(topicOf(record.topic(), this.group), record.partition(),
					record.timestamp(), record.key(), record.value(), headers)));
		}
		await(sent);
		for (Refused each : refused) {
			ConsumerRecord<byte[], byte[]> record = each.record();
			this.deadLettered.increment();
			this.spans.inTrace(CloudEvent.text(record.headers(), RecordSpans.TRACEPARENT), this.group + " dead-letter",
					() -> logger.warn("Dead-lettered {}-{}@{} to {}: {}", record.topic(), record.partition(),
							record.offset(), topicOf(record.topic(), this.group), each.reason()));
		}
	}

	/**
	 * Puts a dead letter that still cannot be applied back at the end of the topic, with its new
	 * reason instead of the old one.
	 * @param deadLetter a record of the dead-letter topic
	 * @param reason why it still fails
	 * @return the record to send
	 */
	static ProducerRecord<byte[], byte[]> putBack(ConsumerRecord<byte[], byte[]> deadLetter, String reason) {
		Headers headers = new RecordHeaders();
		for (Header header : deadLetter.headers()) {
			if (!header.key().equals(REASON)) {
				headers.add(header);
			}
		}
		add(headers, REASON, reason);
		return new ProducerRecord<>(deadLetter.topic(), deadLetter.partition(), deadLetter.timestamp(),
				deadLetter.key(), deadLetter.value(), headers);
	}

	/**
	 * The readable headers of a dead letter.
	 * @param record the record given up on
	 * @param group the consumer group
	 * @param reason why, in one line
	 * @return the headers to add to the original ones
	 */
	static Headers headers(ConsumerRecord<?, ?> record, String group, String reason) {
		Headers headers = new RecordHeaders();
		add(headers, ORIGINAL_TOPIC, record.topic());
		add(headers, ORIGINAL_PARTITION, Integer.toString(record.partition()));
		add(headers, ORIGINAL_OFFSET, Long.toString(record.offset()));
		add(headers, ORIGINAL_TIMESTAMP, Instant.ofEpochMilli(record.timestamp()).toString());
		add(headers, GROUP, group);
		add(headers, REASON, reason);
		return headers;
	}

	private void await(List<CompletableFuture<?>> sent) {
		try {
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaException("Interrupted while writing dead letters", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new KafkaException("Dead letters of " + this.group + " not acknowledged within " + this.timeout, ex);
		}
	}

	private static void add(Headers headers, String name, String value) {
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A record refused for its content.
	 *
	 * @param record the record, as read
	 * @param reason why, in one line
	 */
	record Refused(ConsumerRecord<byte[], byte[]> record, String reason) {
	}

}
