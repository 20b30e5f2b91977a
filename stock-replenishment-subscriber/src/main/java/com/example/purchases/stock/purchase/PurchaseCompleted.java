package com.example.purchases.stock.purchase;

import java.util.List;
import java.util.UUID;

/**
 * This service's own reading of the {@code PurchaseCompleted} event
 * ({@code contracts/purchase-completed.v1.schema.json}): only what stock needs to know; the
 * customer, prices and everything else are ignored.
 */
record PurchaseCompleted(UUID purchaseId, List<Line> items) {

	record Line(String sku, int quantity) {
	}

}
