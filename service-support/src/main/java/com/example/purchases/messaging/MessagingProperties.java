package com.example.purchases.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the shared messaging plumbing.
 *
 * @param healthTimeout how long the Kafka health check waits for the broker
 * @param topicsRetryInterval how often declared topics are retried when the broker was
 * unreachable at start-up
 */
@ConfigurationProperties("messaging")
public record MessagingProperties(@DefaultValue("2s") Duration healthTimeout,
		@DefaultValue("10s") Duration topicsRetryInterval) {
}
