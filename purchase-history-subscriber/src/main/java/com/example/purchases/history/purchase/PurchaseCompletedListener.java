package com.example.purchases.history.purchase;

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

	PurchaseCompletedListener(EventReader<PurchaseCompleted> reader, PurchaseHistory history) {
		this.reader = reader;
		this.history = history;
	}

	@KafkaListener(id = GROUP, groupId = GROUP, topics = "${purchases.topic.name}")
	void onPurchasesCompleted(List<ConsumerRecord<byte[], byte[]>> records) {
		EventBatches.apply(records, this.reader, this.history::record);
	}

}
