package com.example.purchases.notification.confirmation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import com.example.purchases.notification.purchase.PurchaseCompleted;
import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What became of each purchase's confirmation, one row per purchase. Every change commits at
 * once (no surrounding transaction): the row must say what left for the mail server before the
 * next step, whatever happens to the process after it.
 */
@Repository
class Notifications {

	private final JdbcTemplate jdbc;

	Notifications(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Claims the purchase's confirmation: the status it has now, {@link Status#PENDING} when it
	 * was not known.
	 */
	Status claim(IncomingEvent<PurchaseCompleted> incoming) {
		PurchaseCompleted purchase = incoming.event();
		int inserted = this.jdbc.update("""
				INSERT INTO notification (purchase_id, event_id, customer_id, status, currency, total, occurred_at, sends,
				  claimed_at, trace_id)
				VALUES (?, ?, ?, 'PENDING', ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING""", purchase.purchaseId(),
				incoming.eventId(), purchase.customerId(), purchase.currency(), purchase.total(), utc(purchase.occurredAt()),
				utc(Instant.now()), incoming.traceId());
		if (inserted == 1) {
			return Status.PENDING;
		}
		return this.jdbc.query("SELECT status FROM notification WHERE purchase_id = ? OR event_id = ?",
				(row, n) -> Status.valueOf(row.getString(1)), purchase.purchaseId(), incoming.eventId())
			.get(0);
	}

	/**
	 * Takes the confirmation to hand it to the mail server: only one consumer at a time can, even
	 * when two read the same record (a consumer that lost its partitions without knowing it yet).
	 * A send left {@code SENDING} for longer than the lease is taken to have died with its process.
	 * @return whether this consumer may send it now
	 */
	boolean startSending(UUID purchaseId, String recipient, String messageId, Duration lease) {
		Instant now = Instant.now();
		return this.jdbc.update("""
				UPDATE notification SET status = 'SENDING', recipient = ?, message_id = ?, sends = sends + 1, claimed_at = ?
				WHERE purchase_id = ? AND (status = 'PENDING' OR (status = 'SENDING' AND claimed_at < ?))""", recipient,
				messageId, utc(now), purchaseId, utc(now.minus(lease))) == 1;
	}

	Status status(UUID purchaseId) {
		return this.jdbc.queryForObject("SELECT status FROM notification WHERE purchase_id = ?",
				(row, n) -> Status.valueOf(row.getString(1)), purchaseId);
	}

	/**
	 * This consumer's send failed and it is not sending any more, though the server may have
	 * taken the message: the lease ends now, so that the retry sends it again at once (under the
	 * same {@code Message-ID}) instead of waiting for the lease as for a consumer that died.
	 */
	void released(UUID purchaseId) {
		this.jdbc.update("UPDATE notification SET claimed_at = ? WHERE purchase_id = ? AND status = 'SENDING'",
				utc(Instant.EPOCH), purchaseId);
	}

	/** The mail server refused it for now: nothing left. */
	void pending(UUID purchaseId) {
		this.jdbc.update("UPDATE notification SET status = 'PENDING' WHERE purchase_id = ?", purchaseId);
	}

	void sent(UUID purchaseId) {
		done(purchaseId, Status.SENT, null);
	}

	void skipped(UUID purchaseId, String reason) {
		done(purchaseId, Status.SKIPPED, reason);
	}

	void failed(UUID purchaseId, String reply) {
		done(purchaseId, Status.FAILED, reply);
	}

	private void done(UUID purchaseId, Status status, String reason) {
		this.jdbc.update("UPDATE notification SET status = ?, reason = ?, applied_at = ? WHERE purchase_id = ?",
				status.name(), reason, utc(Instant.now()), purchaseId);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	enum Status {

		/** Claimed, nothing sent. */
		PENDING,

		/** Handed to the mail server, its acceptance not recorded. */
		SENDING,

		SENT, SKIPPED, FAILED;

		boolean done() {
			return this == SENT || this == SKIPPED || this == FAILED;
		}

	}

}
