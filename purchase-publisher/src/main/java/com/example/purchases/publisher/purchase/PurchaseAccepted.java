package com.example.purchases.publisher.purchase;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The answer to an accepted purchase: the broker has acknowledged its event.
 */
record PurchaseAccepted(UUID purchaseId, UUID eventId, Instant occurredAt, BigDecimal total) {
}
