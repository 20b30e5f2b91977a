package com.example.purchases.history.purchase;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the history service, under {@code history.*}.
 *
 * @param retry how transient failures (the database unavailable) are retried: with
 * exponential back-off, for as long as it takes, never skipping the record
 * @param simulatedCallLatency for benchmarks only: each event first waits this long, as if it
 * called a slow external service, which makes the work I/O-bound; 0 (the default) turns it off
 */
@ConfigurationProperties("history")
record HistoryProperties(@DefaultValue Retry retry, @DefaultValue("0ms") Duration simulatedCallLatency) {

	/**
	 * @param initialInterval the first wait
	 * @param maxInterval the longest wait between attempts; keep it well under
	 * {@code max.poll.interval.ms}
	 */
	record Retry(@DefaultValue("500ms") Duration initialInterval, @DefaultValue("30s") Duration maxInterval) {
	}

}
