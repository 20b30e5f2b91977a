package com.example.purchases.subscriber;

/**
 * A record no retry can fix, because of its own content: its value is not JSON, violates the
 * contract's schema or cannot be bound to the subscriber's record, its CloudEvents attributes
 * are missing or malformed, or the subscriber's tables cannot keep it. It goes to the consumer
 * group's dead-letter topic at once, with this reason, and the stream goes on.
 */
public class PoisonRecordException extends RuntimeException {

	private static final int MAX_REASON_LENGTH = 300;

	/**
	 * @param reason what is wrong, in one line (longer reasons are cut)
	 */
	public PoisonRecordException(String reason) {
		super(oneLine(reason));
	}

	static String oneLine(String text) {
		String line = (text != null) ? text.replaceAll("\\s+", " ").strip() : "unknown";
		return (line.length() > MAX_REASON_LENGTH) ? line.substring(0, MAX_REASON_LENGTH - 3) + "..." : line;
	}

}
