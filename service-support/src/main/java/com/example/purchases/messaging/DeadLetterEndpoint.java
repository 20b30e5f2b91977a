package com.example.purchases.messaging;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/deadletters}: {@code GET} tells how many dead letters wait for a replay,
 * {@code POST} replays them (see {@link DeadLetterReplay}).
 */
@Endpoint(id = "deadletters")
public class DeadLetterEndpoint {

	private final DeadLetterReplay<?> replay;

	public DeadLetterEndpoint(DeadLetterReplay<?> replay) {
		this.replay = replay;
	}

	@ReadOperation
	public Map<String, Object> pending() {
		return Map.of("topic", this.replay.topic(), "pending", this.replay.pending());
	}

	@WriteOperation
	public DeadLetterReplay.Result replay() {
		return this.replay.replay();
	}

}
