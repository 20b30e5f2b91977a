package com.example.purchases.stock.purchase;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.stock.inventory.StockLevels;
import com.example.purchases.stock.inventory.StockLevels.Withdrawal;
import com.example.purchases.subscriber.EventHandler;
import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What happens when purchases arrive (group {@code stock-replenishment}): their units are taken
 * off stock, replenishment orders and their events included, in one transaction, idempotently:
 * a purchase whose purchase id or event id was already applied changes nothing.
 */
@Component
class PurchaseIntake implements EventHandler<PurchaseCompleted> {

	private static final Logger logger = LoggerFactory.getLogger(PurchaseIntake.class);

	private final AppliedPurchases applied;

	private final StockLevels stock;

	PurchaseIntake(AppliedPurchases applied, StockLevels stock) {
		this.applied = applied;
		this.stock = stock;
	}

	@Override
	@Transactional
	public int apply(List<IncomingEvent<PurchaseCompleted>> events) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		boolean[] inserted = this.applied.insert(events, now);
		List<Withdrawal> withdrawals = new ArrayList<>();
		int applied = 0;
		for (int i = 0; i < events.size(); i++) {
			IncomingEvent<PurchaseCompleted> incoming = events.get(i);
			if (inserted[i]) {
				applied++;
				incoming.event()
					.items()
					.forEach((line) -> withdrawals.add(new Withdrawal(line.sku(), line.quantity(), incoming.traceparent())));
			}
			else {
				logger.debug("Duplicate purchase {} (event {}) dropped", incoming.event().purchaseId(),
						incoming.eventId());
			}
		}
		this.stock.withdraw(withdrawals);
		return applied;
	}

}
