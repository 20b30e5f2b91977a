package com.example.purchases.subscriber;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import com.example.purchases.messaging.EventSchema;
import com.example.purchases.subscriber.DeadLetters.Refused;
import com.example.purchases.subscriber.SubscriberPipeline.Outcome;
import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How a poll is split: records that cannot be read are refused at once, a batch refused for the
 * content of one record is applied one by one to find it, and a failing infrastructure fails the
 * whole poll. The handler here is an in-memory stand-in that fails as a database would.
 */
class SubscriberPipelineTests {

	private final Store store = new Store();

	private final SubscriberPipeline<Bought> pipeline = new SubscriberPipeline<>(
			new EventReader<>(EventSchema.load("purchase-completed.v1.schema.json"), Bought.class,
					"com.example.purchase.completed.v1"),
			// Only apply() is under test: no dead letters written, no monitor told.
			this.store, null, null, "group", new SimpleMeterRegistry());

	@Test
	void appliesAPollInOneCallAndCountsDuplicates() {
		List<ConsumerRecord<byte[], byte[]>> records = records("c-1", "c-2", "c-3");
		records.add(records.get(0));
		Outcome outcome = this.pipeline.apply(records);
		assertThat(outcome).isEqualTo(new Outcome(3, 1, List.of()));
		assertThat(this.store.calls).containsExactly(4);
	}

	@Test
	void refusesUnreadableRecordsAndAppliesTheRest() {
		List<ConsumerRecord<byte[], byte[]>> records = records("c-1", "c-2");
		records.add(1, record(0, 7, "not json"));
		Outcome outcome = this.pipeline.apply(records);
		assertThat(outcome.applied()).isEqualTo(2);
		assertThat(outcome.refused()).singleElement()
			.satisfies((refused) -> assertThat(refused.reason()).startsWith("value is not JSON"));
		assertThat(this.store.calls).containsExactly(2);
	}

	@Test
	void findsTheOneRecordTheStoreRefusesByApplyingOneByOne() {
		this.store.refusing = "c-bad";
		List<ConsumerRecord<byte[], byte[]>> records = records("c-1", "c-bad", "c-3", "c-4");
		Outcome outcome = this.pipeline.apply(records);
		assertThat(outcome.applied()).isEqualTo(3);
		assertThat(outcome.refused()).extracting(Refused::record).containsExactly(records.get(1));
		assertThat(outcome.refused().get(0).reason()).isEqualTo("cannot be stored (SQLSTATE 22001): value too long");
		// The batch, then each event in its own transaction.
		assertThat(this.store.calls).containsExactly(4, 1, 1, 1, 1);
	}

	@Test
	void failsThePollWhenTheInfrastructureFails() {
		this.store.down = true;
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
			.isThrownBy(() -> this.pipeline.apply(records("c-1", "c-2")));
		assertThat(this.store.applied).isEmpty();
	}

	@Test
	void failsThePollWhenTheInfrastructureFailsWhileLookingForTheBadRecord() {
		this.store.refusing = "c-bad";
		this.store.downAfterCalls = 2;
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
			.isThrownBy(() -> this.pipeline.apply(records("c-1", "c-bad", "c-3")));
	}

	@Test
	void leavesTheRecordsOfPartitionsALaterRebalanceTookAway() {
		List<ConsumerRecord<byte[], byte[]>> records = records("c-1", "c-2", "c-3");
		assertThat(SubscriberPipeline.owned(records, Set.of(new TopicPartition("purchases.completed", 0))))
			.extracting(ConsumerRecord::offset)
			.containsExactly(0L, 2L);
		assertThat(SubscriberPipeline.owned(records, Set.of(new TopicPartition("purchases.completed", 0),
				new TopicPartition("purchases.completed", 1)))).isSameAs(records);
	}

	private List<ConsumerRecord<byte[], byte[]>> records(String... customers) {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		for (int i = 0; i < customers.length; i++) {
			records.add(record(i % 2, i, Purchase.of(customers[i], "BRL", Line.of("SKU-1", 1, "1.00")).json(),
					customers[i]));
		}
		return records;
	}

	private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String value) {
		return record(partition, offset, value, "c-x");
	}

	private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String value, String customer) {
		Purchase envelope = Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00"));
		return new ConsumerRecord<>("purchases.completed", partition, offset, Instant.now().toEpochMilli(),
				TimestampType.CREATE_TIME, 0, 0, customer.getBytes(StandardCharsets.UTF_8),
				value.getBytes(StandardCharsets.UTF_8), PublishedPurchases.headersOf(envelope), Optional.empty());
	}

	record Bought(UUID purchaseId, String customerId) {
	}

	/** Applies events idempotently by purchase id, and fails the way a database does. */
	static final class Store implements EventHandler<Bought> {

		final List<UUID> applied = new ArrayList<>();

		final List<Integer> calls = new ArrayList<>();

		String refusing;

		boolean down;

		int downAfterCalls = Integer.MAX_VALUE;

		@Override
		public int apply(List<IncomingEvent<Bought>> events) {
			this.calls.add(events.size());
			if (this.down || this.calls.size() > this.downAfterCalls) {
				throw new CannotGetJdbcConnectionException("Connection refused", new SQLException("refused", "08001"));
			}
			if (events.stream().anyMatch((event) -> event.event().customerId().equals(this.refusing))) {
				throw new DataIntegrityViolationException("insert",
						new SQLException("value too long\n  Detail: ...", "22001"));
			}
			int applied = 0;
			for (IncomingEvent<Bought> event : events) {
				if (!this.applied.contains(event.event().purchaseId())) {
					this.applied.add(event.event().purchaseId());
					applied++;
				}
			}
			return applied;
		}

	}

}
