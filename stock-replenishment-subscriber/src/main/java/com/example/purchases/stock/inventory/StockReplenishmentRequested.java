package com.example.purchases.stock.inventory;

import java.time.Instant;
import java.util.UUID;

/**
 * The event this service publishes when it opens a replenishment order
 * ({@code contracts/stock-replenishment-requested.v1.schema.json}).
 */
record StockReplenishmentRequested(UUID replenishmentId, String sku, long quantity, long onHand,
		Instant requestedAt) {

	static final String TYPE = "com.example.stock.replenishment-requested.v1";

}
