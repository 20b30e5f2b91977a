package com.example.purchases.subscriber;

import java.util.List;

/**
 * What a subscriber does with the events it reads: its domain, and the only code a new
 * subscriber writes besides its tables and its query API. The starter reads each record
 * against the contract, hands the events of a poll to this handler, commits the offsets once
 * it returned, retries it while the infrastructure fails and dead-letters the records whose
 * content is the problem.
 * <p>
 * Declare it as a bean; the event type is the type argument of the implementing class.
 *
 * @param <T> the subscriber's own record of the event (a tolerant reader: it names only the
 * properties it needs)
 */
@FunctionalInterface
public interface EventHandler<T> {

	/**
	 * Applies events in one transaction, idempotently: an event already applied (the same
	 * event id, or the same subject) changes nothing, because a batch can be delivered again
	 * after a failure or a rebalance, and a dead letter can be replayed.
	 * <p>
	 * Throw to refuse the whole call; the starter tells the infrastructure's failures (retried)
	 * from a record's own (dead-lettered) by what failed, and finds the one record at fault by
	 * applying them one by one. Throw {@link PoisonRecordException} for a record the domain
	 * itself refuses.
	 * @param events the events, in the order they were read
	 * @return how many of them were applied, the others being duplicates
	 */
	int apply(List<IncomingEvent<T>> events);

}
