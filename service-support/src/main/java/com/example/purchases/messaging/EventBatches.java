package com.example.purchases.messaging;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * Processes a batch of records as events, stopping at the first poison record.
 */
public final class EventBatches {

	private EventBatches() {
	}

	/**
	 * Applies the events before the first poison record, then reports that record to the
	 * container's error handler, which commits the applied ones, dead-letters the poison one
	 * and delivers the rest again.
	 * @param records the batch, in offset order per partition
	 * @param reader reads each record
	 * @param applier applies events in one unit of work; it throws when that fails
	 * @param <T> the consumer's type of the event
	 * @throws BatchListenerFailedException at the first poison record, after the events before
	 * it were applied
	 */
	public static <T> void apply(List<? extends ConsumerRecord<?, byte[]>> records, EventReader<T> reader,
			EventApplier<T> applier) {
		List<IncomingEvent<T>> events = new ArrayList<>(records.size());
		for (int i = 0; i < records.size(); i++) {
			try {
				events.add(reader.read(records.get(i)));
			}
			catch (PoisonRecordException ex) {
				if (!events.isEmpty()) {
					applier.apply(events);
				}
				throw new BatchListenerFailedException(ex.getMessage(), ex, i);
			}
		}
		if (!events.isEmpty()) {
			applier.apply(events);
		}
	}

	/**
	 * Applies events, idempotently: an event already applied changes nothing.
	 *
	 * @param <T> the consumer's type of the event
	 */
	@FunctionalInterface
	public interface EventApplier<T> {

		/**
		 * @param events the events, in the order they were read
		 * @return how many of them were applied, the others being duplicates
		 */
		int apply(List<IncomingEvent<T>> events);

	}

}
