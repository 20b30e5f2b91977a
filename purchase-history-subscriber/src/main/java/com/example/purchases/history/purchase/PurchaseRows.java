package com.example.purchases.history.purchase;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

import com.example.purchases.subscriber.IncomingEvent;

/**
 * The statements that write a batch of purchases, in the caller's transaction: one statement
 * per table on PostgreSQL ({@link PostgresPurchaseRows}), JDBC batches elsewhere
 * ({@link BatchedPurchaseRows}). Both write summaries and totals in the order of their keys,
 * so that concurrent batches lock those rows in the same order.
 */
interface PurchaseRows {

	/**
	 * Inserts the purchases that neither their purchase id nor their event id has recorded
	 * already; of several events with the same ids in the batch, the first is inserted.
	 * @param events the events, in the order they were read
	 * @param recordedAt when they are recorded
	 * @return for each event, whether it was inserted
	 */
	boolean[] insertPurchases(List<IncomingEvent<PurchaseCompleted>> events, Instant recordedAt);

	/**
	 * @param purchases purchases inserted now, whose lines are inserted
	 */
	void insertLines(List<PurchaseCompleted> purchases);

	/**
	 * Adds to each customer's summary, creating it for a first purchase.
	 * @param summaries by customer id
	 */
	void addToSummaries(SortedMap<String, Summary> summaries);

	/**
	 * Adds to each customer's total in a currency, creating it for a first purchase.
	 * @param totals by customer and currency
	 */
	void addToTotals(SortedMap<CustomerCurrency, BigDecimal> totals);

	/**
	 * What a batch adds to a customer's summary.
	 *
	 * @param count the purchases
	 * @param first the earliest purchase's time
	 * @param last the latest purchase's time
	 */
	record Summary(long count, Instant first, Instant last) {

		static Summary of(PurchaseCompleted purchase) {
			return new Summary(1, purchase.occurredAt(), purchase.occurredAt());
		}

		Summary plus(Summary other) {
			return new Summary(this.count + other.count, this.first.isBefore(other.first) ? this.first : other.first,
					this.last.isAfter(other.last) ? this.last : other.last);
		}

	}

	/**
	 * The key of a customer's total.
	 *
	 * @param customerId the customer
	 * @param currency the currency
	 */
	record CustomerCurrency(String customerId, String currency) implements Comparable<CustomerCurrency> {

		@Override
		public int compareTo(CustomerCurrency other) {
			int byCustomer = this.customerId.compareTo(other.customerId);
			return (byCustomer != 0) ? byCustomer : this.currency.compareTo(other.currency);
		}

	}

}
