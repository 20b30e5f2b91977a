package com.example.purchases.history.customer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A customer's consolidated history. Totals are exact decimals in each currency's minor-unit
 * scale, as in the events.
 */
record CustomerSummary(String customerId, long purchaseCount, Map<String, BigDecimal> totalsByCurrency,
		Instant firstPurchaseAt, Instant lastPurchaseAt) {
}
