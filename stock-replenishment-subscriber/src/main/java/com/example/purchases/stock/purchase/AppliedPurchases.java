package com.example.purchases.stock.purchase;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The purchases applied so far, by purchase id and event id: inserting a batch tells which of
 * its events are new. On PostgreSQL the batch is one statement, its columns sent as arrays that
 * {@code unnest} turns back into rows: PostgreSQL runs a JDBC batch as one statement per row,
 * and those statements were most of its time per purchase (docs/benchmarks.md, "P3 as
 * set-based statements"). Other databases (H2 for {@code java -jar} and most tests) get the
 * portable JDBC batch.
 */
@Repository
class AppliedPurchases {

	private final JdbcTemplate jdbc;

	private final boolean postgres;

	AppliedPurchases(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		this.postgres = "PostgreSQL".equals(jdbc.execute(
				(ConnectionCallback<String>) (connection) -> connection.getMetaData().getDatabaseProductName()));
	}

	/**
	 * Inserts the events that neither their purchase id nor their event id has applied already;
	 * of several events with the same ids in the batch, the first is inserted. In the caller's
	 * transaction.
	 * @param events the events, in the order they were read
	 * @param appliedAt when they are applied
	 * @return for each event, whether it was inserted
	 */
	boolean[] insert(List<IncomingEvent<PurchaseCompleted>> events, OffsetDateTime appliedAt) {
		return this.postgres ? insertAsArrays(events, appliedAt) : insertAsBatch(events, appliedAt);
	}

	private boolean[] insertAsBatch(List<IncomingEvent<PurchaseCompleted>> events, OffsetDateTime appliedAt) {
		// Conflicts on either unique key (purchase id, event id) insert nothing: a duplicate.
		int[] counts = this.jdbc.batchUpdate("""
				INSERT INTO applied_purchase (purchase_id, event_id, applied_at, trace_id) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING""",
				events.stream()
					.map((incoming) -> new Object[] { incoming.event().purchaseId(), incoming.eventId(), appliedAt,
							incoming.traceId() })
					.toList());
		boolean[] inserted = new boolean[counts.length];
		for (int i = 0; i < counts.length; i++) {
			inserted[i] = counts[i] == 1;
		}
		return inserted;
	}

	private boolean[] insertAsArrays(List<IncomingEvent<PurchaseCompleted>> events, OffsetDateTime appliedAt) {
		int size = events.size();
		String[] purchaseIds = new String[size];
		String[] eventIds = new String[size];
		String[] traceIds = new String[size];
		for (int i = 0; i < size; i++) {
			purchaseIds[i] = events.get(i).event().purchaseId().toString();
			eventIds[i] = events.get(i).eventId();
			traceIds[i] = events.get(i).traceId();
		}
		// In the order read, so that of two events with the same ids the first is the one kept.
		Set<String> returned = new HashSet<>();
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement("""
					INSERT INTO applied_purchase (purchase_id, event_id, trace_id, applied_at)
					SELECT purchase_id, event_id, trace_id, ?
					FROM unnest(?::uuid[], ?::varchar[], ?::varchar[]) WITH ORDINALITY
					  AS batch (purchase_id, event_id, trace_id, n)
					ORDER BY n
					ON CONFLICT DO NOTHING
					RETURNING purchase_id, event_id""");
			statement.setObject(1, appliedAt);
			statement.setArray(2, connection.createArrayOf("varchar", purchaseIds));
			statement.setArray(3, connection.createArrayOf("varchar", eventIds));
			statement.setArray(4, connection.createArrayOf("varchar", traceIds));
			return statement;
		}, (row) -> {
			returned.add(key(row.getString(1), row.getString(2)));
		});
		boolean[] inserted = new boolean[size];
		for (int i = 0; i < size; i++) {
			// Several events with the same ids: the table holds the first, the others are duplicates.
			inserted[i] = returned.remove(key(purchaseIds[i], eventIds[i]));
		}
		return inserted;
	}

	private static String key(String purchaseId, String eventId) {
		// An event id has no space (CloudEvent's ce_id is printable ASCII without it).
		return purchaseId + ' ' + eventId;
	}

}
