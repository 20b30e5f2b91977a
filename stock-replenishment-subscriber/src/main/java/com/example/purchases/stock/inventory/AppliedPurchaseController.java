package com.example.purchases.stock.inventory;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AppliedPurchaseController {

	private final Inventory inventory;

	AppliedPurchaseController(Inventory inventory) {
		this.inventory = inventory;
	}

	/**
	 * Whether a purchase's units have been taken off stock, and since when: 404 until then.
	 */
	@GetMapping("/purchases/{purchaseId}")
	AppliedPurchase purchase(@PathVariable UUID purchaseId) {
		return this.inventory.applied(purchaseId)
			.orElseThrow(() -> new NotFoundException("Unknown purchase",
					"Purchase " + purchaseId + " has not been taken off stock."));
	}

}
