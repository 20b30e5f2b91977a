package com.example.purchases.stock.inventory;

import java.time.Instant;
import java.util.UUID;

/**
 * An order for more units of a SKU. At most one is open per SKU.
 */
record ReplenishmentOrder(UUID id, String sku, long quantity, Status status, Instant requestedAt,
		Instant receivedAt) {

	enum Status {

		/** Requested, not delivered yet. */
		OPEN,

		/** Delivered whole; its units are on hand. */
		RECEIVED

	}

}
