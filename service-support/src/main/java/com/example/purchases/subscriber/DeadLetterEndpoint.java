package com.example.purchases.subscriber;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code /actuator/deadletters}: {@code GET} tells how many dead letters wait for a replay,
 * {@code POST} replays them (see {@link DeadLetterReplay}). A replay cut short answers
 * {@code 503} with the reason; running it again is always safe.
 */
@WebEndpoint(id = "deadletters")
class DeadLetterEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterEndpoint.class);

	private final DeadLetterReplay replay;

	DeadLetterEndpoint(DeadLetterReplay replay) {
		this.replay = replay;
	}

	@ReadOperation
	Map<String, Object> pending() {
		return Map.of("topic", this.replay.topic(), "pending", this.replay.pending());
	}

	@WriteOperation
	WebEndpointResponse<Object> replay() {
		try {
			return new WebEndpointResponse<>(this.replay.replay());
		}
		catch (RuntimeException ex) {
			logger.warn("Replay of {} cut short; what it did not finish is replayed next time", this.replay.topic(), ex);
			return new WebEndpointResponse<>(Map.of("topic", this.replay.topic(), "error",
					"The replay was cut short (" + ex.getClass().getSimpleName()
							+ "); run it again once the cause is fixed: nothing is applied or put back twice."),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

}
