package com.example.purchases.history.customer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One purchase of a customer's history, with its lines.
 */
record PurchaseView(UUID purchaseId, Instant occurredAt, String currency, BigDecimal total, List<Line> items) {

	record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

}
