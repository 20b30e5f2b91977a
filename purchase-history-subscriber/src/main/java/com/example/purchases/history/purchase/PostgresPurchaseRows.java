package com.example.purchases.history.purchase;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The purchases written on PostgreSQL as one statement per table and batch: each column goes
 * as an array and {@code unnest} turns the arrays back into rows. PostgreSQL runs a JDBC batch
 * as one statement per row, and most of its time per purchase went to those statements, not to
 * the rows (docs/benchmarks.md, "P3 as set-based statements"). The arrays go as text, which
 * PostgreSQL casts to each column's type, so that a value it cannot keep fails the batch the
 * way a single row would, with the same SQLSTATE.
 */
final class PostgresPurchaseRows implements PurchaseRows {

	private final JdbcTemplate jdbc;

	PostgresPurchaseRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean[] insertPurchases(List<IncomingEvent<PurchaseCompleted>> events, Instant recordedAt) {
		int size = events.size();
		Columns columns = new Columns(7, size);
		for (IncomingEvent<PurchaseCompleted> incoming : events) {
			PurchaseCompleted purchase = incoming.event();
			columns.add(purchase.purchaseId().toString(), incoming.eventId(), purchase.customerId(), purchase.currency(),
					purchase.total().toPlainString(), purchase.occurredAt().toString(), incoming.traceId());
		}
		// In the order read, so that of two events with the same ids the first is the one kept;
		// conflicts on either unique key (purchase id, event id) insert nothing: a duplicate.
		Set<String> returned = new HashSet<>();
		this.jdbc.query((connection) -> columns.bind(connection.prepareStatement("""
				INSERT INTO purchase (purchase_id, event_id, customer_id, currency, total, occurred_at, trace_id,
				  recorded_at)
				SELECT purchase_id, event_id, customer_id, currency, total, occurred_at, trace_id, ?
				FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::numeric[], ?::timestamptz[],
				  ?::varchar[]) WITH ORDINALITY
				  AS batch (purchase_id, event_id, customer_id, currency, total, occurred_at, trace_id, n)
				ORDER BY n
				ON CONFLICT DO NOTHING
				RETURNING purchase_id, event_id"""), connection, recordedAt), (row) -> {
					returned.add(key(row.getString(1), row.getString(2)));
				});
		boolean[] inserted = new boolean[size];
		for (int i = 0; i < size; i++) {
			IncomingEvent<PurchaseCompleted> incoming = events.get(i);
			// Several events with the same ids: the table holds the first, the others are duplicates.
			inserted[i] = returned.remove(key(incoming.event().purchaseId().toString(), incoming.eventId()));
		}
		return inserted;
	}

	private static String key(String purchaseId, String eventId) {
		// An event id has no space (CloudEvent's ce_id is printable ASCII without it).
		return purchaseId + ' ' + eventId;
	}

	@Override
	public void insertLines(List<PurchaseCompleted> purchases) {
		Columns columns = new Columns(5, purchases.size() * 2);
		for (PurchaseCompleted purchase : purchases) {
			for (int n = 0; n < purchase.items().size(); n++) {
				PurchaseCompleted.Line line = purchase.items().get(n);
				columns.add(purchase.purchaseId().toString(), Integer.toString(n + 1), line.sku(),
						Integer.toString(line.quantity()), line.unitPrice().toPlainString());
			}
		}
		update("""
				INSERT INTO purchase_line (purchase_id, line_number, sku, quantity, unit_price)
				SELECT * FROM unnest(?::uuid[], ?::int[], ?::varchar[], ?::int[], ?::numeric[])""", columns);
	}

	@Override
	public void addToSummaries(SortedMap<String, Summary> summaries) {
		Columns columns = new Columns(4, summaries.size());
		summaries.forEach((customer, summary) -> columns.add(customer, Long.toString(summary.count()),
				summary.first().toString(), summary.last().toString()));
		// Rows are locked in the map's order, the same in every concurrent transaction.
		update("""
				INSERT INTO customer_summary AS summary (customer_id, purchase_count, first_purchase_at, last_purchase_at)
				SELECT customer_id, purchase_count, first_purchase_at, last_purchase_at
				FROM unnest(?::varchar[], ?::bigint[], ?::timestamptz[], ?::timestamptz[]) WITH ORDINALITY
				  AS batch (customer_id, purchase_count, first_purchase_at, last_purchase_at, n)
				ORDER BY n
				ON CONFLICT (customer_id) DO UPDATE SET purchase_count = summary.purchase_count + excluded.purchase_count,
				  first_purchase_at = LEAST(summary.first_purchase_at, excluded.first_purchase_at),
				  last_purchase_at = GREATEST(summary.last_purchase_at, excluded.last_purchase_at)""", columns);
	}

	@Override
	public void addToTotals(SortedMap<CustomerCurrency, BigDecimal> totals) {
		Columns columns = new Columns(3, totals.size());
		totals.forEach((key, total) -> columns.add(key.customerId(), key.currency(), total.toPlainString()));
		update("""
				INSERT INTO customer_total AS sum (customer_id, currency, total)
				SELECT customer_id, currency, total
				FROM unnest(?::varchar[], ?::varchar[], ?::numeric[]) WITH ORDINALITY
				  AS batch (customer_id, currency, total, n)
				ORDER BY n
				ON CONFLICT (customer_id, currency) DO UPDATE SET total = sum.total + excluded.total""", columns);
	}

	private void update(String sql, Columns columns) {
		this.jdbc.update((connection) -> columns.bind(connection.prepareStatement(sql), connection, null));
	}

	/** The values of a batch, a column at a time, as text. */
	private static final class Columns {

		private final List<List<String>> values = new ArrayList<>();

		Columns(int count, int rows) {
			for (int i = 0; i < count; i++) {
				this.values.add(new ArrayList<>(rows));
			}
		}

		void add(String... row) {
			for (int i = 0; i < row.length; i++) {
				this.values.get(i).add(row[i]);
			}
		}

		/**
		 * @param first a value bound before the columns, or {@code null} for none
		 */
		PreparedStatement bind(PreparedStatement statement, Connection connection, Instant first) throws SQLException {
			int index = 1;
			if (first != null) {
				statement.setObject(index++, first.atOffset(ZoneOffset.UTC));
			}
			for (List<String> column : this.values) {
				statement.setArray(index++, connection.createArrayOf("varchar", column.toArray()));
			}
			return statement;
		}

	}

}
