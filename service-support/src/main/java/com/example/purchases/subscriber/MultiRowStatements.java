package com.example.purchases.subscriber;

import java.sql.Savepoint;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Writes the rows of a whole poll in a few statements, for an {@link EventHandler}. PostgreSQL
 * executes a JDBC batch as one statement per row, and parsing, planning and executing each of
 * them was most of the database's time in a drain (docs/benchmarks.md, P3); one statement of many
 * rows does that work once. The SQL is standard or PostgreSQL's, and H2 (MODE=PostgreSQL) runs it
 * too.
 */
public final class MultiRowStatements {

	/** Where the rows go in a statement: {@code INSERT INTO t (a, b) VALUES {rows}}. */
	public static final String ROWS = "{rows}";

	// Far below the protocol's limit of 65,535 parameters per statement, and large enough that a
	// poll of 500 events takes one statement per table.
	private static final int MAX_PARAMETERS = 8_000;

	private MultiRowStatements() {
	}

	/**
	 * Executes a statement for many rows: {@link #ROWS} becomes the row, repeated once for each,
	 * in as few statements as the parameter limit allows.
	 * @param jdbc the template
	 * @param sql the statement, with {@link #ROWS} where the rows go
	 * @param row one row's placeholders, such as {@code (?, ?, ?)}
	 * @param rows the values, one array per row, each as long as {@code row} has placeholders
	 * @return the rows changed, as the database counts them
	 */
	public static int execute(JdbcTemplate jdbc, String sql, String row, List<Object[]> rows) {
		if (rows.isEmpty()) {
			return 0;
		}
		int columns = rows.get(0).length;
		int perStatement = Math.max(1, MAX_PARAMETERS / columns);
		int changed = 0;
		for (int from = 0; from < rows.size(); from += perStatement) {
			List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + perStatement));
			Object[] values = new Object[chunk.size() * columns];
			for (int i = 0; i < chunk.size(); i++) {
				System.arraycopy(chunk.get(i), 0, values, i * columns, columns);
			}
			changed += jdbc.update(sql.replace(ROWS, String.join(", ", Collections.nCopies(chunk.size(), row))),
					values);
		}
		return changed;
	}

	/**
	 * Inserts rows that may exist already and tells which ones did not, in the caller's
	 * transaction. The statement skips the existing ones ({@code ON CONFLICT DO NOTHING}), so its
	 * count tells whether every row was new, which is the usual case; when it was not (a
	 * redelivered poll, a replayed dead letter), the rows are inserted again one statement each,
	 * from a savepoint taken before, so that each one's own count tells a duplicate from a new one.
	 * @param jdbc the template
	 * @param sql an {@code INSERT ... VALUES {rows} ON CONFLICT DO NOTHING}
	 * @param row one row's placeholders
	 * @param rows the values, one array per row
	 * @return for each row, whether it was inserted now
	 * @throws IllegalStateException outside a transaction
	 */
	public static boolean[] insertNew(JdbcTemplate jdbc, String sql, String row, List<Object[]> rows) {
		boolean[] inserted = new boolean[rows.size()];
		if (rows.isEmpty()) {
			return inserted;
		}
		return jdbc.execute((ConnectionCallback<boolean[]>) (connection) -> {
			Assert.state(!connection.getAutoCommit(), "insertNew runs in the caller's transaction, and there is none");
			Savepoint savepoint = connection.setSavepoint();
			if (execute(jdbc, sql, row, rows) == rows.size()) {
				connection.releaseSavepoint(savepoint);
				Arrays.fill(inserted, true);
				return inserted;
			}
			connection.rollback(savepoint);
			connection.releaseSavepoint(savepoint);
			int[] counts = jdbc.batchUpdate(sql.replace(ROWS, row), rows);
			for (int i = 0; i < counts.length; i++) {
				inserted[i] = counts[i] == 1;
			}
			return inserted;
		});
	}

	/**
	 * @param count how many
	 * @return {@code ?, ?, ?}: placeholders for an {@code IN} list
	 */
	public static String placeholders(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

}
