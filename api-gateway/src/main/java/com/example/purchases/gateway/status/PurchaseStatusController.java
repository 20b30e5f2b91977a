package com.example.purchases.gateway.status;

import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /purchases/{id}/status}: which subscribers have applied a purchase, and when, in one
 * document.
 */
@RestController
class PurchaseStatusController {

	private final SubscriberLookups lookups;

	PurchaseStatusController(SubscriberLookups lookups) {
		this.lookups = lookups;
	}

	/**
	 * Each subscriber is asked with the caller's token: the caller sees the subscribers its
	 * scopes let it read, and the others as unknown.
	 */
	@GetMapping("/purchases/{id}/status")
	PurchaseStatus status(@PathVariable UUID id, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
		return new PurchaseStatus(id, this.lookups.ask(id, authorization));
	}

}
