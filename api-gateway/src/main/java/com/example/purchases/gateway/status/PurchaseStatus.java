package com.example.purchases.gateway.status;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a purchase stands in each subscriber.
 *
 * @param purchaseId the purchase
 * @param subscribers one entry per subscriber group, in the order of the gateway's routes
 */
record PurchaseStatus(UUID purchaseId, List<Subscriber> subscribers) {

	/**
	 * @param group the subscriber's consumer group
	 * @param state {@code APPLIED}, {@code NOT_APPLIED} (not yet), or {@code UNKNOWN} when the
	 * subscriber could not say in time
	 * @param appliedAt when it applied the purchase
	 * @param traceId the trace of the request that placed it
	 * @param reason why the state is unknown
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Subscriber(String group, State state, Instant appliedAt, String traceId, String reason) {

		static Subscriber applied(String group, Instant appliedAt, String traceId) {
			return new Subscriber(group, State.APPLIED, appliedAt, traceId, null);
		}

		static Subscriber notApplied(String group) {
			return new Subscriber(group, State.NOT_APPLIED, null, null, null);
		}

		static Subscriber unknown(String group, String reason) {
			return new Subscriber(group, State.UNKNOWN, null, null, reason);
		}

	}

	enum State {

		APPLIED, NOT_APPLIED, UNKNOWN

	}

}
