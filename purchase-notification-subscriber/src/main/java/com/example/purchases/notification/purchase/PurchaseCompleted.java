package com.example.purchases.notification.purchase;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * This service's own reading of the {@code PurchaseCompleted} event
 * ({@code contracts/purchase-completed.v1.schema.json}, {@code subscriber.event.*}); properties
 * it does not need are ignored.
 */
public record PurchaseCompleted(UUID purchaseId, String customerId, List<Line> items, BigDecimal total,
		String currency, Instant occurredAt) {

	public record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

}
