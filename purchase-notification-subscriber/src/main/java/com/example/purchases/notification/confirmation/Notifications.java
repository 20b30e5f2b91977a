package com.example.purchases.notification.confirmation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.purchases.notification.purchase.PurchaseCompleted;
import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What became of each purchase's confirmation, one row per purchase. Every change commits at
 * once (no surrounding transaction): the row must say what left for the mail server before the
 * next step, whatever happens to the process after it.
 */
@Repository
class Notifications {

	private final JdbcTemplate jdbc;

	private final NamedParameterJdbcTemplate named;

	Notifications(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		this.named = new NamedParameterJdbcTemplate(jdbc);
	}

	/**
	 * Claims the confirmations of the purchases, in one batch and one query whatever their
	 * number.
	 * @return the status each has now by purchase id, {@link Status#PENDING} for those that were
	 * not known; an event whose id was claimed by another purchase has that purchase's status
	 */
	Map<UUID, Status> claim(List<IncomingEvent<PurchaseCompleted>> events) {
		if (events.isEmpty()) {
			return Map.of();
		}
		OffsetDateTime now = utc(Instant.now());
		this.jdbc.batchUpdate("""
				INSERT INTO notification (purchase_id, event_id, customer_id, status, currency, total, occurred_at, sends,
				  claimed_at, trace_id)
				VALUES (?, ?, ?, 'PENDING', ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING""", events.stream().map((incoming) -> {
					PurchaseCompleted purchase = incoming.event();
					return new Object[] { purchase.purchaseId(), incoming.eventId(), purchase.customerId(),
							purchase.currency(), purchase.total(), utc(purchase.occurredAt()), now, incoming.traceId() };
				}).toList());
		Map<UUID, Status> byPurchase = new HashMap<>();
		Map<String, Status> byEvent = new HashMap<>();
		this.named.query("SELECT purchase_id, event_id, status FROM notification WHERE purchase_id IN (:purchases) OR event_id IN (:events)",
				Map.of("purchases", events.stream().map((incoming) -> incoming.event().purchaseId()).toList(), "events",
						events.stream().map(IncomingEvent::eventId).toList()),
				(row) -> {
					Status status = Status.valueOf(row.getString(3));
					byPurchase.put(row.getObject(1, UUID.class), status);
					byEvent.put(row.getString(2), status);
				});
		Map<UUID, Status> claimed = new HashMap<>();
		for (IncomingEvent<PurchaseCompleted> incoming : events) {
			UUID purchaseId = incoming.event().purchaseId();
			Status status = byPurchase.getOrDefault(purchaseId, byEvent.get(incoming.eventId()));
			claimed.putIfAbsent(purchaseId, status);
		}
		return claimed;
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
