package com.example.purchases.stock.outbox;

import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transactional outbox: an event is written in the same database transaction as the change
 * it announces, so that the two never diverge. {@link OutboxRelay} publishes it afterwards, at
 * least once, under its stable id.
 */
@Repository
public class Outbox {

	private final JdbcClient jdbc;

	Outbox(JdbcClient jdbc, MeterRegistry meters) {
		this.jdbc = jdbc;
		Gauge.builder("stock.outbox.backlog", this, Outbox::backlog)
			.description("Events written to the outbox and not yet published")
			.baseUnit("events")
			.register(meters);
	}

	/**
	 * Writes the event; it is published only if the caller's transaction commits.
	 * @param event the event
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void append(OutboxEvent event) {
		this.jdbc.sql("""
				INSERT INTO outbox (id, topic, record_key, ce_type, ce_source, ce_subject, ce_time, payload, created_at,
				  traceparent)
				VALUES (:id, :topic, :key, :type, :source, :subject, :time, :payload, :createdAt, :traceparent)""")
			.param("id", event.id())
			.param("topic", event.topic())
			.param("key", event.key())
			.param("type", event.type())
			.param("source", event.source().toString())
			.param("subject", event.subject())
			.param("time", event.time().atOffset(ZoneOffset.UTC))
			.param("payload", event.payload())
			.param("createdAt", Instant.now().atOffset(ZoneOffset.UTC))
			.param("traceparent", event.traceparent())
			.update();
	}

	/**
	 * @return the number of events not yet published
	 */
	public long backlog() {
		return this.jdbc.sql("SELECT count(*) FROM outbox WHERE published_at IS NULL").query(Long.class).single();
	}

}
