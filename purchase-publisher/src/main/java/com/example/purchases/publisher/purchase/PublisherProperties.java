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
	 * @param maxInFlight how many requests may wait for the broker at once; the requests beyond
	 * are answered 503 at once. A request waits a few milliseconds while the broker is well, and
	 * up to {@code timeout} while it is not: this keeps a broker outage from holding every request
	 * thread (keep it under the server's 200), while leaving room for every connection of a busy
	 * client pool when the broker is well.
	 */
	record Publish(@DefaultValue("10s") Duration timeout, @DefaultValue("5s") Duration retryAfter,
			@DefaultValue("150") @Min(1) int maxInFlight) {
	}

}
