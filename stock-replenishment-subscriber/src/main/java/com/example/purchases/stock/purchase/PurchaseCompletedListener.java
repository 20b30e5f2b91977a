package com.example.purchases.stock.purchase;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.example.purchases.messaging.EventBatches;
import com.example.purchases.messaging.EventReader;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * What happens when purchases arrive: each batch polled from {@code purchases.completed} is
 * read against the contract and its units are taken off stock in one database transaction
 * (replenishment orders and their events included); the offsets are committed only after that
 * transaction has committed. A redelivered batch changes nothing.
 */
@Component
class PurchaseCompletedListener {

	static final String GROUP = "stock-replenishment";

	private final EventReader<PurchaseCompleted> reader;

	private final PurchaseIntake intake;

	PurchaseCompletedListener(EventReader<PurchaseCompleted> reader, PurchaseIntake intake) {
		this.reader = reader;
		this.intake = intake;
	}

	@KafkaListener(id = GROUP, groupId = GROUP, topics = "${purchases.topic.name}")
	void onPurchasesCompleted(List<ConsumerRecord<byte[], byte[]>> records) {
		EventBatches.apply(records, this.reader, this.intake);
	}

}
