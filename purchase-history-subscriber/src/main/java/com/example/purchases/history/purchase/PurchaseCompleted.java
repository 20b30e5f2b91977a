package com.example.purchases.history.purchase;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * This service's own reading of the {@code PurchaseCompleted} event
 * ({@code contracts/purchase-completed.v1.schema.json}, {@code subscriber.event.*}); properties
 * it does not need are ignored.
 */
record PurchaseCompleted(UUID purchaseId, String customerId, List<Line> items, BigDecimal total, String currency,
		Instant occurredAt) {

	record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

}
