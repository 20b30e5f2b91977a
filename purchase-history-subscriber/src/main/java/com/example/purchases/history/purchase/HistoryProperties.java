package com.example.purchases.history.purchase;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the history service, under {@code history.*}.
 *
 * @param retry how transient failures (the database unavailable) are retried: with
 * exponential back-off, for as long as it takes, never skipping the record
 */
@ConfigurationProperties("history")
record HistoryProperties(@DefaultValue Retry retry) {

	/**
	 * @param initialInterval the first wait
	 * @param maxInterval the longest wait between attempts; keep it well under
	 * {@code max.poll.interval.ms}
	 */
	record Retry(@DefaultValue("500ms") Duration initialInterval, @DefaultValue("30s") Duration maxInterval) {
	}

}
