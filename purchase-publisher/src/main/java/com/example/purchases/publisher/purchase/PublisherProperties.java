package com.example.purchases.publisher.purchase;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the publisher, under {@code purchases.*}. Kafka itself is configured with
 * Spring Boot's {@code spring.kafka.*} properties.
 *
 * @param topic the topic the events go to and how it is declared
 * @param publish how long a request waits for the broker, and what it tells clients when the
 * broker does not answer
 */
@Validated
@ConfigurationProperties("purchases")
record PublisherProperties(@DefaultValue Topic topic, @DefaultValue Publish publish) {

	/**
	 * @param name the topic of {@code PurchaseCompleted} events; its partition count is the
	 * contract's ({@code contracts/asyncapi.yaml}), its replication the broker's defaults
	 */
	record Topic(@DefaultValue("purchases.completed") @NotBlank String name) {
	}

	/**
	 * @param timeout the longest a request waits for the broker's acknowledgement before it is
	 * answered 503; keep it at least {@code max.block.ms + delivery.timeout.ms} of the producer
	 * so that a 503 means the producer gave up too
	 * @param retryAfter what the 503's {@code Retry-After} header tells clients
	 * @param maxWaitingSends how many requests may wait at once for the producer to take their
	 * record; it takes it at once while it knows the topic's partitions and makes the request
	 * wait (up to {@code max.block.ms}) only while it does not, as when the broker restarts. The
	 * requests beyond are answered 503 at once, so that clients retrying through an outage
	 * cannot hold every request thread. Keep it well under the server's request threads.
	 */
	record Publish(@DefaultValue("10s") Duration timeout, @DefaultValue("5s") Duration retryAfter,
			@DefaultValue("64") @Min(1) int maxWaitingSends) {
	}

}
