package com.example.purchases.history.customer;

import java.time.Instant;
import java.util.UUID;

/**
 * A purchase as far as this service is concerned: recorded, when, and in which trace. What an
 * operator (or the fault-injection suite) asks to account for every purchase the publisher
 * accepted.
 */
record AppliedPurchase(UUID purchaseId, String customerId, Instant appliedAt, String traceId) {
}
