package com.example.purchases.subscriber;

import java.sql.SQLException;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TypeMismatchDataAccessException;

/**
 * Tells a record's own failure from the infrastructure's, by what failed rather than by a list
 * of known bad records.
 * <p>
 * The record is the problem (it is poison, and retrying cannot help) when it could not be read,
 * or when the database refused what it says: a value too long, out of range, of the wrong type
 * or encoding, or breaking a constraint (SQLSTATE classes 22 and 23). Everything else is taken
 * as the infrastructure's and retried: a database or broker unreachable, a timeout, a lock or
 * serialization conflict, and failures nobody foresaw, since retrying never loses a record. A
 * duplicate key is a concurrent writer, not bad data (subscribers deduplicate with
 * {@code ON CONFLICT DO NOTHING}; only two inserts racing for a new row raise it).
 */
final class Failures {

	private static final String UNIQUE_VIOLATION = "23505";

	private Failures() {
	}

	/**
	 * @param failure what a handler threw
	 * @return whether the content of the events it was given is to blame
	 */
	static boolean isContent(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof PoisonRecordException) {
				return true;
			}
			// The database's own word, where there is one, before any translation of it.
			if (cause instanceof SQLException sql) {
				return isContent(sql);
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DuplicateKeyException) {
				return false;
			}
			if (cause instanceof DataIntegrityViolationException || cause instanceof TypeMismatchDataAccessException) {
				return true;
			}
		}
		return false;
	}

	private static boolean isContent(SQLException failure) {
		// A batch's failure holds the failing statement's own exception as its next one.
		for (SQLException sql = failure; sql != null; sql = sql.getNextException()) {
			String state = sql.getSQLState();
			if (state != null && (state.startsWith("22") || (state.startsWith("23") && !state.equals(UNIQUE_VIOLATION)))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param failure a failure {@link #isContent(Throwable) of the content}
	 * @return why, in one line and in the database's words where it spoke
	 */
	static String reason(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof PoisonRecordException poison) {
				return poison.getMessage();
			}
			if (cause instanceof SQLException sql) {
				SQLException specific = (sql.getNextException() != null) ? sql.getNextException() : sql;
				String message = (specific.getMessage() != null) ? specific.getMessage().lines().findFirst().orElse("")
						: "";
				return PoisonRecordException.oneLine("cannot be stored (SQLSTATE " + specific.getSQLState() + "): "
						+ message);
			}
		}
		return PoisonRecordException.oneLine("cannot be stored: " + failure.getMessage());
	}

}
