package com.example.purchases.stock.purchase;

import java.util.List;

import com.example.purchases.messaging.EventBatches.EventApplier;
import com.example.purchases.messaging.IncomingEvent;
import com.example.purchases.stock.inventory.Inventory;
import com.example.purchases.stock.inventory.PurchasedItems;

import org.springframework.stereotype.Component;

/**
 * Takes the units of completed purchases off stock: for live records and for replayed dead
 * letters alike.
 */
@Component
class PurchaseIntake implements EventApplier<PurchaseCompleted> {

	private final Inventory inventory;

	PurchaseIntake(Inventory inventory) {
		this.inventory = inventory;
	}

	@Override
	public int apply(List<IncomingEvent<PurchaseCompleted>> events) {
		return this.inventory.withdraw(events.stream()
			.map((incoming) -> new PurchasedItems(incoming.event().purchaseId(), incoming.eventId(),
					incoming.event()
						.items()
						.stream()
						.map((line) -> new PurchasedItems.Item(line.sku(), line.quantity()))
						.toList(),
					incoming.traceparent()))
			.toList());
	}

}
