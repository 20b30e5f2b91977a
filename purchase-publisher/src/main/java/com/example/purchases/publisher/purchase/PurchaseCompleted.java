package com.example.purchases.publisher.purchase;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The event this service publishes: a fact, immutable, in the shape of
 * {@code contracts/purchase-completed.v1.schema.json}. Amounts carry the currency's
 * minor-unit scale, so {@code 19.9} is published as {@code 19.90}.
 */
record PurchaseCompleted(UUID purchaseId, String customerId, List<Line> items, BigDecimal total, String currency,
		Instant occurredAt) {

	static final String TYPE = "com.example.purchase.completed.v1";

	record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

}
