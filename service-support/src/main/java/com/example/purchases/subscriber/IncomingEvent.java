package com.example.purchases.subscriber;

import com.example.purchases.messaging.CloudEvent;
import com.example.purchases.messaging.RecordSpans;

/**
 * An event read from a record, with its CloudEvents attributes and where it was read.
 *
 * @param <T> the consumer's own type of the event
 * @param envelope the CloudEvents attributes of the record
 * @param event the event
 * @param topic the topic of the record
 * @param partition the partition of the record
 * @param offset the offset of the record
 * @param traceparent the W3C trace context of the operation that produced it, or {@code null}
 */
public record IncomingEvent<T>(CloudEvent envelope, T event, String topic, int partition, long offset,
		String traceparent) {

	/** The event id ({@code ce_id}), on which consumers deduplicate. */
	public String eventId() {
		return this.envelope.id();
	}

	/** The trace id of the operation that produced it, or {@code null}. */
	public String traceId() {
		return RecordSpans.traceId(this.traceparent);
	}

}
