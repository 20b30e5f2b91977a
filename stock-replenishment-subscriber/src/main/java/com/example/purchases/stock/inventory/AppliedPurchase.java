package com.example.purchases.stock.inventory;

import java.time.Instant;
import java.util.UUID;

/**
 * A purchase whose units were taken off stock, when, and in which trace.
 */
record AppliedPurchase(UUID purchaseId, Instant appliedAt, String traceId) {
}
