package com.example.purchases.subscriber;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a subscriber declares, under {@code subscriber.*}: its consumer group and the event it
 * reads. Setting {@code subscriber.group} turns the starter on; Kafka itself is configured
 * with Spring Boot's {@code spring.kafka.*} properties, whose defaults for a subscriber are in
 * {@code subscriber-defaults.yml}.
 *
 * @param group the consumer group, also the name of its dead-letter topic
 * ({@code <topic>.<group>.dlt}) and of the group replaying it ({@code <group>.dlt-replay})
 * @param topic the topic read; the contract ({@code contracts/asyncapi.yaml}) gives its
 * partition count
 * @param event the event read from it
 * @param lookupPath where the subscriber answers whether it applied the event about a
 * subject, such as {@code /purchases/{id}}
 * @param lookupQuery how it knows: a query of its tables with the subject as {@code :id},
 * answering {@code applied_at} and {@code trace_id} (or an {@link AppliedEvents} bean of its own)
 * @param retry how failures of the infrastructure (a database or a broker unreachable,
 * timeouts, lock and serialization conflicts) are retried: with exponential back-off, for as
 * long as it takes, never skipping a record
 * @param stallTimeout a replica whose partitions have records waiting and that has applied
 * none for this long is stalled: not ready, with the reason, and counted
 * @param lagInterval how often the group's lag is read from the broker
 * @param replayTimeout the longest a replay of dead letters runs
 */
@ConfigurationProperties("subscriber")
public record SubscriberProperties(String group, String topic, Event event, String lookupPath, String lookupQuery,
		@DefaultValue Retry retry, @DefaultValue("60s") Duration stallTimeout,
		@DefaultValue("5s") Duration lagInterval, @DefaultValue("2m") Duration replayTimeout) {

	/**
	 * @param type the {@code ce_type} read, such as {@code com.example.purchase.completed.v1};
	 * records of another type are refused
	 * @param schema the contract's JSON Schema of the event, a file name in {@code contracts/}
	 */
	public record Event(String type, String schema) {
	}

	/**
	 * @param initialInterval the first wait
	 * @param maxInterval the longest wait between attempts; keep it well under
	 * {@code max.poll.interval.ms} and {@code stall-timeout}
	 */
	public record Retry(@DefaultValue("500ms") Duration initialInterval, @DefaultValue("30s") Duration maxInterval) {
	}

	/** The group's dead-letter topic. */
	public String deadLetterTopic() {
		return DeadLetters.topicOf(this.topic, this.group);
	}

}
