package com.example.purchases.subscriber;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The lookup of applied events as most subscribers can say it: one query of their own tables
 * ({@code subscriber.lookup-query}), with the subject as {@code :id}, answering the columns
 * {@code applied_at} and {@code trace_id}.
 */
final class JdbcAppliedEvents implements AppliedEvents {

	private final JdbcClient jdbc;

	private final String query;

	JdbcAppliedEvents(JdbcClient jdbc, String query) {
		this.jdbc = jdbc;
		this.query = query;
	}

	@Override
	public Optional<Applied> find(UUID subject) {
		return this.jdbc.sql(this.query)
			.param("id", subject)
			.query((rs, n) -> new Applied(subject, rs.getObject("applied_at", OffsetDateTime.class).toInstant(),
					rs.getString("trace_id")))
			.optional();
	}

}
