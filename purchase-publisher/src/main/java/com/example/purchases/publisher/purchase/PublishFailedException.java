package com.example.purchases.publisher.purchase;

import java.time.Duration;

import com.example.purchases.web.ApiProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The broker did not acknowledge an event in time, or refused it: a {@code 503} with
 * {@code Retry-After}. The client may retry; with the same {@code Idempotency-Key} a retry can
 * never count the purchase twice.
 */
class PublishFailedException extends ApiProblem {

	PublishFailedException(Duration retryAfter, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "Event broker unavailable",
				"The broker did not acknowledge the purchase in time. Retry with the same Idempotency-Key.", cause);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
	}

}
