package com.example.purchases.subscriber;

import java.util.UUID;

import com.example.purchases.web.ApiProblem;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET ${subscriber.lookup-path}}: whether this subscriber has applied the event about a
 * subject, since when and in which trace; a {@code 404} problem until it has.
 */
@RestController
class AppliedEventsController {

	private final AppliedEvents applied;

	AppliedEventsController(AppliedEvents applied) {
		this.applied = applied;
	}

	@GetMapping("${subscriber.lookup-path}")
	AppliedEvents.Applied applied(@PathVariable UUID id) {
		return this.applied.find(id)
			.orElseThrow(() -> ApiProblem.notFound("Not applied", "The event about " + id + " has not been applied here (yet)."));
	}

}
