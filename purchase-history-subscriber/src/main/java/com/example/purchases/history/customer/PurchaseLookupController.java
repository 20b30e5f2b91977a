package com.example.purchases.history.customer;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PurchaseLookupController {

	private final CustomerHistoryQueries queries;

	PurchaseLookupController(CustomerHistoryQueries queries) {
		this.queries = queries;
	}

	/**
	 * Whether a purchase is in the history and since when: 404 until its event is recorded.
	 */
	@GetMapping("/purchases/{purchaseId}")
	AppliedPurchase purchase(@PathVariable UUID purchaseId) {
		return this.queries.applied(purchaseId).orElseThrow(() -> new PurchaseNotRecordedException(purchaseId));
	}

}
