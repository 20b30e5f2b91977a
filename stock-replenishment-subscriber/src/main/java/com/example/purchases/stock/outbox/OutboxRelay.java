package com.example.purchases.stock.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.messaging.CloudEvent;
import com.example.purchases.messaging.RecordSpans;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox to Kafka, in the order the events were written.
 * <p>
 * One replica relays at a time: a relay transaction first takes the lock of the single
 * {@code outbox_relay} row ({@code SKIP LOCKED}: a replica that finds it taken leaves the round
 * to the other), then sends the oldest unpublished events, waits for the broker's
 * acknowledgements and marks them published. So one SKU's events never overtake each other,
 * however many replicas relay and however large the backlog. The transaction never waits longer
 * than {@code stock.outbox.send-timeout} for the broker; then it rolls back and the events are
 * sent again in the next round.
 * <p>
 * A crash or a failure between the send and the commit sends events again, under the same
 * {@code ce_id}: at least once, and consumers deduplicate.
 */
@Component
@ConditionalOnBooleanProperty(name = "stock.outbox.relay-enabled", matchIfMissing = true)
class OutboxRelay {

	private static final Logger logger = LoggerFactory.getLogger(OutboxRelay.class);

	private final JdbcClient jdbc;

	private final KafkaTemplate<byte[], byte[]> kafka;

	private final TransactionTemplate transactions;

	private final OutboxProperties properties;

	private final RecordSpans spans;

	OutboxRelay(JdbcClient jdbc, KafkaTemplate<byte[], byte[]> kafka, PlatformTransactionManager transactionManager,
			OutboxProperties properties, RecordSpans spans) {
		this.jdbc = jdbc;
		this.kafka = kafka;
		this.transactions = new TransactionTemplate(transactionManager);
		// The statements after the wait fail once this has passed: the lock is never held longer.
		this.transactions.setTimeout((int) properties.sendTimeout().plusSeconds(5).toSeconds());
		this.properties = properties;
		this.spans = spans;
	}

	@Scheduled(fixedDelayString = "${stock.outbox.poll-interval:200ms}")
	void relay() {
		try {
			int sent;
			do {
				sent = this.transactions.execute((status) -> relayBatch());
			}
			while (sent == this.properties.batchSize());
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox not relayed, will retry: {}", ex.toString());
		}
	}

	@Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
	void purgePublished() {
		int purged = this.jdbc.sql("DELETE FROM outbox WHERE published_at < :before")
			.param("before", OffsetDateTime.now(ZoneOffset.UTC).minus(this.properties.retention()))
			.update();
		if (purged > 0) {
			logger.info("Purged {} published events from the outbox", purged);
		}
	}

	private int relayBatch() {
		boolean mine = !this.jdbc.sql("SELECT id FROM outbox_relay WHERE id = 1 FOR UPDATE SKIP LOCKED")
			.query()
			.listOfRows()
			.isEmpty();
		if (!mine) {
			return 0; // another replica is relaying
		}
		List<OutboxEvent> events = this.jdbc.sql("""
				SELECT id, topic, record_key, ce_type, ce_source, ce_subject, ce_time, payload, traceparent FROM outbox
				WHERE published_at IS NULL ORDER BY seq LIMIT :limit""")
			.param("limit", this.properties.batchSize())
			.query((rs, n) -> new OutboxEvent(rs.getObject("id", UUID.class), rs.getString("topic"),
					rs.getString("record_key"), rs.getString("ce_type"), URI.create(rs.getString("ce_source")),
					rs.getString("ce_subject"), rs.getObject("ce_time", OffsetDateTime.class).toInstant(),
					rs.getString("payload"), rs.getString("traceparent")))
			.list();
		if (events.isEmpty()) {
			return 0;
		}
		List<CompletableFuture<?>> acknowledgements = new ArrayList<>(events.size());
		for (OutboxEvent event : events) {
			// The event goes out in the trace of the change it announces.
			this.spans.inTrace(event.traceparent(), "outbox relay", () -> {
				RecordHeaders headers = new RecordHeaders();
				new CloudEvent(event.id().toString(), event.source(), event.type(), event.time(), event.subject())
					.writeTo(headers);
				String traceparent = this.spans.currentTraceparent();
				if (traceparent != null) {
					headers.add(RecordSpans.TRACEPARENT, bytes(traceparent));
				}
				acknowledgements.add(this.kafka.send(new ProducerRecord<>(event.topic(), null,
						event.time().toEpochMilli(), bytes(event.key()), bytes(event.payload()), headers)));
			});
		}
		awaitAcknowledgements(acknowledgements);
		this.jdbc.sql("UPDATE outbox SET published_at = :now WHERE id IN (:ids)")
			.param("now", Instant.now().atOffset(ZoneOffset.UTC))
			.param("ids", events.stream().map(OutboxEvent::id).toList())
			.update();
		logger.debug("Relayed {} events from the outbox", events.size());
		return events.size();
	}

	private void awaitAcknowledgements(List<CompletableFuture<?>> acknowledgements) {
		try {
			CompletableFuture.allOf(acknowledgements.toArray(CompletableFuture[]::new))
				.get(this.properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaException("Interrupted while relaying the outbox", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new KafkaException("The broker did not acknowledge the outbox's events within "
					+ this.properties.sendTimeout(), ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
