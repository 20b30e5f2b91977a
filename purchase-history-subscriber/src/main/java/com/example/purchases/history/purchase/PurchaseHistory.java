package com.example.purchases.history.purchase;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.history.purchase.PurchaseRows.CustomerCurrency;
import com.example.purchases.history.purchase.PurchaseRows.Summary;
import com.example.purchases.messaging.RecordSpans;
import com.example.purchases.subscriber.EventHandler;
import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * What happens when purchases arrive (group {@code purchase-history}): each is recorded and its
 * customer's summary kept, idempotently: a purchase whose purchase id or event id is already
 * recorded is a duplicate and changes nothing, whatever its body says (the first one applied
 * wins).
 * <p>
 * A batch is one transaction, written by {@link PurchaseRows}. Several replicas may share the
 * database: the insert of a purchase decides, under the database's own uniqueness, which
 * delivery applies it, and summary rows are locked in customer order so that concurrent
 * batches cannot deadlock.
 */
@Repository
class PurchaseHistory implements EventHandler<PurchaseCompleted> {

	private static final Logger logger = LoggerFactory.getLogger(PurchaseHistory.class);

	private final PurchaseRows rows;

	private final RecordSpans spans;

	PurchaseHistory(PurchaseRows rows, RecordSpans spans) {
		this.rows = rows;
		this.spans = spans;
	}

	/**
	 * @param events the events of a batch, in the order they were read
	 * @return how many were recorded, the others being duplicates
	 */
	@Override
	@Transactional
	public int apply(List<IncomingEvent<PurchaseCompleted>> events) {
		boolean[] inserted = this.rows.insertPurchases(events, Instant.now());
		List<PurchaseCompleted> recorded = new ArrayList<>(events.size());
		for (int i = 0; i < events.size(); i++) {
			IncomingEvent<PurchaseCompleted> incoming = events.get(i);
			boolean isNew = inserted[i];
			if (isNew) {
				recorded.add(incoming.event());
			}
			if (logger.isDebugEnabled()) {
				this.spans.inTrace(incoming.traceparent(), "purchase-history record",
						() -> logger.debug("{} purchase {} of customer {} (event {}) from {}-{}@{}",
								isNew ? "Recorded" : "Dropped duplicate", incoming.event().purchaseId(),
								incoming.event().customerId(), incoming.eventId(), incoming.topic(),
								incoming.partition(), incoming.offset()));
			}
		}
		if (!recorded.isEmpty()) {
			this.rows.insertLines(recorded);
			consolidate(recorded);
		}
		return recorded.size();
	}

	private void consolidate(List<PurchaseCompleted> purchases) {
		// Sorted maps: rows are locked in key order, the same in every concurrent transaction.
		SortedMap<String, Summary> summaries = new TreeMap<>();
		SortedMap<CustomerCurrency, BigDecimal> totals = new TreeMap<>();
		for (PurchaseCompleted purchase : purchases) {
			summaries.merge(purchase.customerId(), Summary.of(purchase), Summary::plus);
			totals.merge(new CustomerCurrency(purchase.customerId(), purchase.currency()), purchase.total(),
					BigDecimal::add);
		}
		this.rows.addToSummaries(summaries);
		this.rows.addToTotals(totals);
	}

}
