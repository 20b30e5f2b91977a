package com.example.purchases.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;

/**
 * Dead-letter topics of a consumer group.
 * <p>
 * Each group has its own dead-letter topic ({@code <topic>.<group>.dlt}, same partition count
 * as the source, a record goes to the same partition number): Spring Kafka's default name is
 * shared by every group reading the topic, and one group's bad day would become another's
 * replay. A dead letter is the original record byte for byte (key, value, headers) plus
 * readable text headers saying where it came from and why it is there.
 */
public final class DeadLetters {

	/** The topic the record was read from. */
	public static final String ORIGINAL_TOPIC = "dlt-original-topic";

	/** Its partition, as decimal text. */
	public static final String ORIGINAL_PARTITION = "dlt-original-partition";

	/** Its offset, as decimal text. */
	public static final String ORIGINAL_OFFSET = "dlt-original-offset";

	/** Its timestamp, RFC 3339 in UTC. */
	public static final String ORIGINAL_TIMESTAMP = "dlt-original-timestamp";

	/** The consumer group that gave up on it. */
	public static final String GROUP = "dlt-group";

	/** Why, in one line. */
	public static final String REASON = "dlt-reason";

	private DeadLetters() {
	}

	/**
	 * The dead-letter topic of a group.
	 * @param topic the source topic
	 * @param group the consumer group
	 * @return {@code <topic>.<group>.dlt}
	 */
	public static String topicOf(String topic, String group) {
		return topic + "." + group + ".dlt";
	}

	/**
	 * A recoverer that publishes to the group's dead-letter topic with readable headers only
	 * (none of Spring Kafka's binary {@code kafka_dlt-*} headers or stack traces).
	 * @param template a template that writes {@code byte[]} keys and values
	 * @param group the consumer group
	 * @return the recoverer
	 */
	public static DeadLetterPublishingRecoverer recoverer(KafkaOperations<?, ?> template, String group) {
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
				(record, ex) -> new TopicPartition(topicOf(record.topic(), group), record.partition()));
		recoverer.excludeHeader(HeadersToAdd.values());
		recoverer.addHeadersFunction((record, ex) -> headers(record, group, reason(ex)));
		return recoverer;
	}

	/**
	 * The readable headers of a dead letter.
	 * @param record the record given up on
	 * @param group the consumer group
	 * @param reason why, in one line
	 * @return the headers to add to the original ones
	 */
	public static Headers headers(ConsumerRecord<?, ?> record, String group, String reason) {
		Headers headers = new RecordHeaders();
		add(headers, ORIGINAL_TOPIC, record.topic());
		add(headers, ORIGINAL_PARTITION, Integer.toString(record.partition()));
		add(headers, ORIGINAL_OFFSET, Long.toString(record.offset()));
		add(headers, ORIGINAL_TIMESTAMP, Instant.ofEpochMilli(record.timestamp()).toString());
		add(headers, GROUP, group);
		add(headers, REASON, reason);
		return headers;
	}

	/**
	 * The one-line reason of a failure: the poison record's reason when there is one.
	 */
	public static String reason(Throwable failure) {
		Throwable last = failure;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof PoisonRecordException poison) {
				return poison.getMessage();
			}
			last = cause;
		}
		return PoisonRecordException.oneLine(last.getClass().getSimpleName() + ": " + last.getMessage());
	}

	private static void add(Headers headers, String name, String value) {
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
