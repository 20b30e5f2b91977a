package com.example.purchases.notification.confirmation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What became of a purchase's confirmation.
 *
 * @param purchaseId the purchase
 * @param status {@code SENT}, {@code SKIPPED} or {@code FAILED}
 * @param recipient where it was sent, if it was
 * @param reason why it was skipped, or the mail server's reply when it failed
 * @param total the purchase's total
 * @param currency its currency
 * @param occurredAt when the purchase was completed
 * @param recordedAt when its outcome was recorded
 */
record NotificationView(UUID purchaseId, String status, String recipient, String reason, BigDecimal total,
		String currency, Instant occurredAt, Instant recordedAt) {
}
