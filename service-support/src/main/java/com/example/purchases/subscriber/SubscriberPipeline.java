package com.example.purchases.subscriber;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import com.example.purchases.subscriber.DeadLetters.Refused;

import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;

/**
 * What happens to each poll of the group's records: read against the contract, applied by the
 * subscriber's {@link EventHandler} in one transaction, the records refused for their content
 * dead-lettered, and only then the offsets committed (by the container, once this returns).
 * <p>
 * A failure of the handler is classified by what failed ({@link Failures}): the
 * infrastructure's is thrown, and the container retries the whole poll with back-off for as
 * long as it takes (a redelivered batch changes nothing, the handler being idempotent); a
 * record's own is found by applying the events one by one, each in its own transaction, so
 * that one bad record never holds back the others, nor the records of other partitions that
 * share its poll.
 *
 * @param <T> the subscriber's record of the event
 */
final class SubscriberPipeline<T> implements BatchConsumerAwareMessageListener<byte[], byte[]> {

	private final EventReader<T> reader;

	private final EventHandler<T> handler;

	private final DeadLetters deadLetters;

	private final ConsumerGroupMonitor monitor;

	private final Counter applied;

	private final Counter duplicates;

	SubscriberPipeline(EventReader<T> reader, EventHandler<T> handler, DeadLetters deadLetters,
			ConsumerGroupMonitor monitor, String group, MeterRegistry meters) {
		this.reader = reader;
		this.handler = handler;
		this.deadLetters = deadLetters;
		this.monitor = monitor;
		this.applied = Counter.builder("consumer.events.applied")
			.description("Events applied by the consumer group")
			.tag("group", group)
			.register(meters);
		this.duplicates = Counter.builder("consumer.events.duplicates")
			.description("Events dropped because the consumer group had applied them already")
			.tag("group", group)
			.register(meters);
	}

	@Override
	public void onMessage(List<ConsumerRecord<byte[], byte[]>> records, Consumer<?, ?> consumer) {
		this.deadLetters.write(apply(owned(records, consumer.assignment())).refused());
		this.monitor.progressed();
	}

	/**
	 * The records of the partitions this consumer still owns. The container retries a failed
	 * poll with the records it read, polling meanwhile to stay in the group, so a rebalance can
	 * give some of their partitions to another consumer between two attempts: those records are
	 * that consumer's now, read by it from the committed offsets (and this consumer commits
	 * nothing for them: {@link OwnedPartitionCommits}).
	 */
	static List<ConsumerRecord<byte[], byte[]>> owned(List<ConsumerRecord<byte[], byte[]>> records,
			Set<TopicPartition> assignment) {
		if (records.stream().allMatch((record) -> owns(assignment, record))) {
			return records;
		}
		return records.stream().filter((record) -> owns(assignment, record)).toList();
	}

	private static boolean owns(Set<TopicPartition> assignment, ConsumerRecord<?, ?> record) {
		return assignment.contains(new TopicPartition(record.topic(), record.partition()));
	}

	/**
	 * Reads and applies records: live ones, or dead letters being replayed.
	 * @param records records in offset order per partition
	 * @return what became of them
	 * @throws RuntimeException when the infrastructure failed; nothing was applied then, or
	 * only what applying again changes nothing
	 */
	Outcome apply(List<ConsumerRecord<byte[], byte[]>> records) {
		List<Refused> refused = new ArrayList<>();
		List<IncomingEvent<T>> events = new ArrayList<>(records.size());
		List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(records.size());
		for (ConsumerRecord<byte[], byte[]> record : records) {
			try {
				events.add(this.reader.read(record));
				sources.add(record);
			}
			catch (PoisonRecordException ex) {
				refused.add(new Refused(record, ex.getMessage()));
			}
		}
		int applied = 0;
		if (!events.isEmpty()) {
			try {
				applied = this.handler.apply(events);
			}
			catch (RuntimeException ex) {
				if (!Failures.isContent(ex)) {
					throw ex;
				}
				applied = applyOneByOne(events, sources, refused);
			}
		}
		refused.sort(Comparator.comparing((Refused each) -> each.record().partition())
			.thenComparingLong((each) -> each.record().offset()));
		int duplicates = records.size() - refused.size() - applied;
		this.applied.increment(applied);
		this.duplicates.increment(duplicates);
		return new Outcome(applied, duplicates, refused);
	}

	private int applyOneByOne(List<IncomingEvent<T>> events, List<ConsumerRecord<byte[], byte[]>> sources,
			List<Refused> refused) {
		int applied = 0;
		for (int i = 0; i < events.size(); i++) {
			try {
				applied += this.handler.apply(List.of(events.get(i)));
			}
			catch (RuntimeException ex) {
				if (!Failures.isContent(ex)) {
					throw ex;
				}
				refused.add(new Refused(sources.get(i), Failures.reason(ex)));
			}
		}
		return applied;
	}

	/**
	 * What became of the records of a poll.
	 *
	 * @param applied events applied now
	 * @param duplicates events applied before, which changed nothing
	 * @param refused records refused for their content, in offset order per partition, with why
	 */
	record Outcome(int applied, int duplicates, List<Refused> refused) {
	}

}
