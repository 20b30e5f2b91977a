package com.example.purchases.history.purchase;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.messaging.RecordSpans;
import com.example.purchases.subscriber.EventHandler;
import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * What happens when purchases arrive (group {@code purchase-history}): each is recorded and its
 * customer's summary kept, idempotently: a purchase whose purchase id or event id is already
 * recorded is a duplicate and changes nothing, whatever its body says (the first one applied
 * wins).
 * <p>
 * A batch is one transaction. Several replicas may share the database: the insert of a
 * purchase decides, under the database's own uniqueness, which delivery applies it, and
 * summary rows are locked in customer order so that concurrent batches cannot deadlock.
 */
@Repository
class PurchaseHistory implements EventHandler<PurchaseCompleted> {

	private static final Logger logger = LoggerFactory.getLogger(PurchaseHistory.class);

	private final JdbcTemplate jdbc;

	private final RecordSpans spans;

	PurchaseHistory(JdbcTemplate jdbc, RecordSpans spans) {
		this.jdbc = jdbc;
		this.spans = spans;
	}

	/**
	 * @param events the events of a batch, in the order they were read
	 * @return how many were recorded, the others being duplicates
	 */
	@Override
	@Transactional
	public int apply(List<IncomingEvent<PurchaseCompleted>> events) {
		OffsetDateTime now = utc(Instant.now());
		List<Object[]> rows = new ArrayList<>(events.size());
		for (IncomingEvent<PurchaseCompleted> incoming : events) {
			PurchaseCompleted purchase = incoming.event();
			rows.add(new Object[] { purchase.purchaseId(), incoming.eventId(), purchase.customerId(),
					purchase.currency(), purchase.total(), utc(purchase.occurredAt()), now, incoming.traceId() });
		}
		// Conflicts on either unique key (purchase id, event id) insert nothing: a duplicate.
		int[] inserted = this.jdbc.batchUpdate("""
				INSERT INTO purchase (purchase_id, event_id, customer_id, currency, total, occurred_at, recorded_at,
				  trace_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", rows);

		List<PurchaseCompleted> recorded = new ArrayList<>(events.size());
		for (int i = 0; i < events.size(); i++) {
			IncomingEvent<PurchaseCompleted> incoming = events.get(i);
			boolean isNew = inserted[i] == 1;
			if (isNew) {
				recorded.add(incoming.event());
			}
			if (logger.isDebugEnabled()) {
				this.spans.inTrace(incoming.traceparent(), "purchase-history record",
						() -> logger.debug("{} purchase {} of customer {} (event {}) from {}-{}@{}",
								isNew ? "Recorded" : "Dropped duplicate", incoming.event().purchaseId(),
								incoming.event().customerId(), incoming.eventId(), incoming.topic(),
								incoming.partition(), incoming.offset()));
			}
		}
		if (!recorded.isEmpty()) {
			recordLines(recorded);
			consolidate(recorded);
		}
		return recorded.size();
	}

	private void recordLines(List<PurchaseCompleted> purchases) {
		List<Object[]> lines = new ArrayList<>();
		for (PurchaseCompleted purchase : purchases) {
			for (int n = 0; n < purchase.items().size(); n++) {
				PurchaseCompleted.Line line = purchase.items().get(n);
				lines.add(new Object[] { purchase.purchaseId(), n + 1, line.sku(), line.quantity(), line.unitPrice() });
			}
		}
		this.jdbc.batchUpdate(
				"INSERT INTO purchase_line (purchase_id, line_number, sku, quantity, unit_price) VALUES (?, ?, ?, ?, ?)",
				lines);
	}

	private void consolidate(List<PurchaseCompleted> purchases) {
		// Sorted maps: rows are locked in key order, the same in every concurrent transaction.
		Map<String, Summary> summaries = new TreeMap<>();
		Map<String, BigDecimal> totals = new TreeMap<>();
		for (PurchaseCompleted purchase : purchases) {
			summaries.merge(purchase.customerId(), Summary.of(purchase), Summary::plus);
			totals.merge(purchase.customerId() + '\0' + purchase.currency(), purchase.total(), BigDecimal::add);
		}

		List<Object[]> summaryRows = summaries.entrySet()
			.stream()
			.map((entry) -> new Object[] { entry.getValue().count(), utc(entry.getValue().first()),
					utc(entry.getValue().last()), entry.getKey() })
			.toList();
		upsert("""
				UPDATE customer_summary SET purchase_count = purchase_count + ?,
				  first_purchase_at = LEAST(first_purchase_at, ?), last_purchase_at = GREATEST(last_purchase_at, ?)
				WHERE customer_id = ?""", """
				INSERT INTO customer_summary (purchase_count, first_purchase_at, last_purchase_at, customer_id)
				VALUES (?, ?, ?, ?)""", summaryRows);

		List<Object[]> totalRows = totals.entrySet().stream().map((entry) -> {
			String[] key = entry.getKey().split("\0");
			return new Object[] { entry.getValue(), key[0], key[1] };
		}).toList();
		upsert("UPDATE customer_total SET total = total + ? WHERE customer_id = ? AND currency = ?",
				"INSERT INTO customer_total (total, customer_id, currency) VALUES (?, ?, ?)", totalRows);
	}

	/**
	 * Updates the rows that exist and inserts the others. Two replicas inserting the same new
	 * row at once can only happen while a partition changes hands; the loser's transaction
	 * fails on the primary key and is retried, and then finds the row.
	 */
	private void upsert(String update, String insert, List<Object[]> rows) {
		int[] updated = this.jdbc.batchUpdate(update, rows);
		List<Object[]> missing = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			if (updated[i] == 0) {
				missing.add(rows.get(i));
			}
		}
		if (!missing.isEmpty()) {
			this.jdbc.batchUpdate(insert, missing);
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private record Summary(long count, Instant first, Instant last) {

		static Summary of(PurchaseCompleted purchase) {
			return new Summary(1, purchase.occurredAt(), purchase.occurredAt());
		}

		Summary plus(Summary other) {
			return new Summary(this.count + other.count, min(this.first, other.first), max(this.last, other.last));
		}

		private static Instant min(Instant a, Instant b) {
			return a.isBefore(b) ? a : b;
		}

		private static Instant max(Instant a, Instant b) {
			return a.isAfter(b) ? a : b;
		}

	}

}
