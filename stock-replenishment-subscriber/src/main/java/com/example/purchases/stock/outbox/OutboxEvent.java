package com.example.purchases.stock.outbox;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * An event to publish once the transaction that wrote it has committed.
 *
 * @param id the event id ({@code ce_id}); the same on every re-send
 * @param topic where it goes
 * @param key its record key
 * @param type its {@code ce_type}
 * @param source its {@code ce_source}
 * @param subject its {@code ce_subject}
 * @param time its {@code ce_time}
 * @param payload the event as JSON
 * @param traceparent the trace the event continues when it is sent, or {@code null}
 */
public record OutboxEvent(UUID id, String topic, String key, String type, URI source, String subject, Instant time,
		String payload, String traceparent) {
}
