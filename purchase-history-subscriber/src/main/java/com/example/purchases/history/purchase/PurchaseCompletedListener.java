package com.example.purchases.history.purchase;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.example.purchases.messaging.EventBatches;
import com.example.purchases.messaging.EventReader;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * What happens when purchases arrive: each batch polled from {@code purchases.completed} is
 * read against the contract and recorded in one database transaction; the offsets are
 * committed only after that transaction has committed. A redelivered batch changes nothing
 * ({@link PurchaseHistory} is idempotent), so each purchase counts once.
 */
@Component
class PurchaseCompletedListener {

	static final String GROUP = "purchase-history";

	private final EventReader<PurchaseCompleted> reader;

	private final PurchaseHistory history;

	private final Duration simulatedCallLatency;

	PurchaseCompletedListener(EventReader<PurchaseCompleted> reader, PurchaseHistory history,
			HistoryProperties properties) {
		this.reader = reader;
		this.history = history;
		this.simulatedCallLatency = properties.simulatedCallLatency();
	}

	@KafkaListener(id = GROUP, groupId = GROUP, topics = "${purchases.topic.name}")
	void onPurchasesCompleted(List<ConsumerRecord<byte[], byte[]>> records) {
		EventBatches.apply(records, this.reader, (events) -> {
			simulateExternalCalls(events.size());
			return this.history.record(events);
		});
	}

	/** Benchmarks only (history.simulated-call-latency): one slow call per event, before the transaction. */
	private void simulateExternalCalls(int events) {
		if (this.simulatedCallLatency.isZero()) {
			return;
		}
		try {
			Thread.sleep(this.simulatedCallLatency.toMillis() * events);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during the simulated external call", ex);
		}
	}

}
