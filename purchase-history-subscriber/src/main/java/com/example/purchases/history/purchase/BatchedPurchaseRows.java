package com.example.purchases.history.purchase;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The purchases written as JDBC batches of one statement per row, in SQL that H2 (the
 * database of {@code java -jar} and of most tests) and PostgreSQL both accept.
 */
final class BatchedPurchaseRows implements PurchaseRows {

	private final JdbcTemplate jdbc;

	BatchedPurchaseRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean[] insertPurchases(List<IncomingEvent<PurchaseCompleted>> events, Instant recordedAt) {
		OffsetDateTime now = utc(recordedAt);
		List<Object[]> rows = new ArrayList<>(events.size());
		for (IncomingEvent<PurchaseCompleted> incoming : events) {
			PurchaseCompleted purchase = incoming.event();
			rows.add(new Object[] { purchase.purchaseId(), incoming.eventId(), purchase.customerId(),
					purchase.currency(), purchase.total(), utc(purchase.occurredAt()), now, incoming.traceId() });
		}
		// Conflicts on either unique key (purchase id, event id) insert nothing: a duplicate.
		int[] counts = this.jdbc.batchUpdate("""
				INSERT INTO purchase (purchase_id, event_id, customer_id, currency, total, occurred_at, recorded_at,
				  trace_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", rows);
		boolean[] inserted = new boolean[counts.length];
		for (int i = 0; i < counts.length; i++) {
			inserted[i] = counts[i] == 1;
		}
		return inserted;
	}

	@Override
	public void insertLines(List<PurchaseCompleted> purchases) {
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

	@Override
	public void addToSummaries(SortedMap<String, Summary> summaries) {
		List<Object[]> rows = summaries.entrySet()
			.stream()
			.map((entry) -> new Object[] { entry.getValue().count(), utc(entry.getValue().first()),
					utc(entry.getValue().last()), entry.getKey() })
			.toList();
		upsert("""
				UPDATE customer_summary SET purchase_count = purchase_count + ?,
				  first_purchase_at = LEAST(first_purchase_at, ?), last_purchase_at = GREATEST(last_purchase_at, ?)
				WHERE customer_id = ?""", """
				INSERT INTO customer_summary (purchase_count, first_purchase_at, last_purchase_at, customer_id)
				VALUES (?, ?, ?, ?)""", rows);
	}

	@Override
	public void addToTotals(SortedMap<CustomerCurrency, BigDecimal> totals) {
		List<Object[]> rows = totals.entrySet()
			.stream()
			.map((entry) -> new Object[] { entry.getValue(), entry.getKey().customerId(), entry.getKey().currency() })
			.toList();
		upsert("UPDATE customer_total SET total = total + ? WHERE customer_id = ? AND currency = ?",
				"INSERT INTO customer_total (total, customer_id, currency) VALUES (?, ?, ?)", rows);
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

}
