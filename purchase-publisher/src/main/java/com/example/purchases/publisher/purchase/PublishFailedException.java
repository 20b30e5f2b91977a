package com.example.purchases.publisher.purchase;

import java.time.Duration;

/**
 * The broker did not acknowledge an event in time, or refused it. The client may retry;
 * with the same {@code Idempotency-Key} a retry can never count the purchase twice.
 */
class PublishFailedException extends RuntimeException {

	private final Duration retryAfter;

	PublishFailedException(String message, Duration retryAfter, Throwable cause) {
		super(message, cause);
		this.retryAfter = retryAfter;
	}

	/** How long the client should wait before it retries. */
	Duration retryAfter() {
		return this.retryAfter;
	}

}
