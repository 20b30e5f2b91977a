package com.example.purchases.subscriber;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.KafkaException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record's own failure against the infrastructure's, told by what failed.
 */
class FailuresTests {

	@Test
	void whatTheDatabaseRefusesInARecordIsTheRecordsFault() {
		assertThat(Failures.isContent(sql("22001", "value too long for type character varying(255)"))).isTrue();
		assertThat(Failures.isContent(sql("22003", "numeric field overflow"))).isTrue();
		assertThat(Failures.isContent(sql("22021", "invalid byte sequence for encoding \"UTF8\": 0x00"))).isTrue();
		assertThat(Failures.isContent(sql("23502", "null value in column violates not-null constraint"))).isTrue();
		assertThat(Failures.isContent(sql("23514", "new row violates check constraint"))).isTrue();
	}

	@Test
	void aBatchIsJudgedByTheStatementThatFailedInIt() {
		BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", "22001", new int[0]);
		batch.setNextException(new SQLException("value too long for type character varying(255)", "22001"));
		DataIntegrityViolationException translated = new DataIntegrityViolationException("batch", batch);
		assertThat(Failures.isContent(translated)).isTrue();
		assertThat(Failures.reason(translated))
			.isEqualTo("cannot be stored (SQLSTATE 22001): value too long for type character varying(255)");
	}

	@Test
	void theInfrastructureFailingIsRetried() {
		assertThat(Failures.isContent(new CannotGetJdbcConnectionException("no connection",
				new SQLTransientConnectionException("refused", "08001")))).isFalse();
		assertThat(Failures.isContent(new DataAccessResourceFailureException("terminated", sql("57P01", "admin")))).isFalse();
		assertThat(Failures.isContent(new CannotAcquireLockException("lock", sql("55P03", "lock not available")))).isFalse();
		assertThat(Failures.isContent(sql("40001", "could not serialize access"))).isFalse();
		assertThat(Failures.isContent(sql("40P01", "deadlock detected"))).isFalse();
		assertThat(Failures.isContent(new KafkaException("broker gone"))).isFalse();
		// A table renamed away: a broken deployment, not a bad record.
		assertThat(Failures.isContent(new BadSqlGrammarException("insert", "INSERT", sql("42P01", "no such table"))))
			.isFalse();
		assertThat(Failures.isContent(new IllegalStateException("nobody foresaw this"))).isFalse();
	}

	@Test
	void twoWritersRacingForANewRowIsAConflictNotBadData() {
		assertThat(Failures.isContent(new DuplicateKeyException("summary", sql("23505", "duplicate key")))).isFalse();
		assertThat(Failures.isContent(new DataIntegrityViolationException("summary", sql("23505", "duplicate"))))
			.isFalse();
	}

	@Test
	void whatTheDomainRefusesIsTheRecordsFault() {
		assertThat(Failures.isContent(new PoisonRecordException("no such currency"))).isTrue();
		assertThat(Failures.reason(new PoisonRecordException("no such currency"))).isEqualTo("no such currency");
	}

	private static SQLException sql(String state, String message) {
		return new SQLException("ERROR: " + message + "\n  Detail: the row's values", state);
	}

}
