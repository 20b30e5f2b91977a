package com.example.purchases.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents 1.0 context attributes of an event, bound to Kafka headers in binary
 * content mode: the record value is the event itself and each attribute is a {@code ce_}
 * header with a UTF-8 text value.
 * <p>
 * The CloudEvents SDK does not support Spring Boot 4 yet, and the binding is a handful of
 * headers, so it is written here.
 *
 * @param id the event id; re-publishing the same event keeps it, so consumers deduplicate on it
 * @param source the producing service, a URI-reference such as {@code /purchase-publisher}
 * @param type versioned reverse-DNS type, such as {@code com.example.purchase.completed.v1}
 * @param time when the fact happened
 * @param subject what the event is about, such as the purchase id
 */
public record CloudEvent(String id, URI source, String type, Instant time, String subject) {

	public static final String SPEC_VERSION = "1.0";

	public static final String SPEC_VERSION_HEADER = "ce_specversion";

	public static final String ID_HEADER = "ce_id";

	public static final String SOURCE_HEADER = "ce_source";

	public static final String TYPE_HEADER = "ce_type";

	public static final String TIME_HEADER = "ce_time";

	public static final String SUBJECT_HEADER = "ce_subject";

	public static final String CONTENT_TYPE_HEADER = "content-type";

	public static final String JSON = "application/json";

	/** The contract's longest {@code ce_id}: what a subscriber's tables keep. */
	public static final int MAX_ID_LENGTH = 255;

	private static final Pattern ID = Pattern.compile("[\\x21-\\x7E]{1," + MAX_ID_LENGTH + "}");

	private static final Pattern JSON_CONTENT_TYPE = Pattern.compile("(?i)application/json\\s*(;.*)?");

	/**
	 * Adds this event's attributes and {@code content-type: application/json} to the headers.
	 * @param headers the headers of the record that carries the event as its JSON value
	 */
	public void writeTo(Headers headers) {
		put(headers, SPEC_VERSION_HEADER, SPEC_VERSION);
		put(headers, ID_HEADER, this.id);
		put(headers, SOURCE_HEADER, this.source.toString());
		put(headers, TYPE_HEADER, this.type);
		put(headers, TIME_HEADER, this.time.toString());
		put(headers, SUBJECT_HEADER, this.subject);
		put(headers, CONTENT_TYPE_HEADER, JSON);
	}

	/**
	 * Reads the attributes a consumer needs from a record's headers.
	 * @param headers the record headers
	 * @return the event attributes
	 * @throws InvalidCloudEventException if {@code ce_id} is missing or not 1 to 255 printable
	 * ASCII characters, {@code content-type} is not JSON, the spec version is not 1.0, or
	 * {@code ce_time} is not an RFC 3339 timestamp that an {@link Instant} holds
	 */
	public static CloudEvent readFrom(Headers headers) {
		String id = text(headers, ID_HEADER);
		if (id == null || id.isBlank()) {
			throw new InvalidCloudEventException("record has no " + ID_HEADER + " header");
		}
		if (!ID.matcher(id).matches()) {
			throw new InvalidCloudEventException(ID_HEADER + " must be 1 to " + MAX_ID_LENGTH
					+ " printable ASCII characters (the contract), was " + id.length() + " characters");
		}
		String contentType = text(headers, CONTENT_TYPE_HEADER);
		if (contentType != null && !JSON_CONTENT_TYPE.matcher(contentType).matches()) {
			throw new InvalidCloudEventException("unsupported " + CONTENT_TYPE_HEADER + " '" + contentType
					+ "', expected " + JSON);
		}
		String specVersion = text(headers, SPEC_VERSION_HEADER);
		if (specVersion != null && !SPEC_VERSION.equals(specVersion)) {
			throw new InvalidCloudEventException("unsupported " + SPEC_VERSION_HEADER + " '" + specVersion + "'");
		}
		String source = text(headers, SOURCE_HEADER);
		String time = text(headers, TIME_HEADER);
		try {
			return new CloudEvent(id, (source != null) ? URI.create(source) : null, text(headers, TYPE_HEADER),
					(time != null) ? Instant.parse(time) : null, text(headers, SUBJECT_HEADER));
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			throw new InvalidCloudEventException("malformed CloudEvents header: " + ex.getMessage());
		}
	}

	/**
	 * The last value of a header as UTF-8 text.
	 * @param headers the record headers
	 * @param name the header name
	 * @return the text, or {@code null} when the header is absent
	 */
	public static String text(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	private static void put(Headers headers, String name, String value) {
		headers.remove(name);
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A record whose CloudEvents headers a consumer cannot work with.
	 */
	public static class InvalidCloudEventException extends RuntimeException {

		InvalidCloudEventException(String message) {
			super(message);
		}

	}

}
