package com.example.purchases.stock.purchase;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How transient failures (the database unavailable) are retried, under {@code stock.retry.*}:
 * with exponential back-off, for as long as it takes, never skipping the record.
 *
 * @param initialInterval the first wait
 * @param maxInterval the longest wait between attempts; keep it well under
 * {@code max.poll.interval.ms}
 */
@ConfigurationProperties("stock.retry")
record RetryProperties(@DefaultValue("500ms") Duration initialInterval, @DefaultValue("30s") Duration maxInterval) {
}
