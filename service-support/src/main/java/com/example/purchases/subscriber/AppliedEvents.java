package com.example.purchases.subscriber;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Whether this subscriber has applied the event about a subject (a purchase), for the lookup
 * every subscriber answers ({@code subscriber.lookup-path}, such as
 * {@code GET /purchases/{id}}): what an operator, the end-to-end tests and the load tests ask
 * to account for each purchase the publisher accepted.
 */
@FunctionalInterface
public interface AppliedEvents {

	/**
	 * @param subject the subject of the event ({@code ce_subject}, the purchase id)
	 * @return when it was applied and in which trace, or empty if it has not been (yet)
	 */
	Optional<Applied> find(UUID subject);

	/**
	 * @param id the subject
	 * @param appliedAt when this subscriber applied it
	 * @param traceId the trace of the request behind it, or {@code null}
	 */
	record Applied(UUID id, Instant appliedAt, String traceId) {
	}

}
