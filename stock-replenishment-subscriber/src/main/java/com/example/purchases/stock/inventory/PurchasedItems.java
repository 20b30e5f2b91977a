package com.example.purchases.stock.inventory;

import java.util.List;
import java.util.UUID;

/**
 * What a purchase takes off stock.
 *
 * @param purchaseId the purchase, on which withdrawals are deduplicated
 * @param eventId the event that told of it ({@code ce_id}), deduplicated on too
 * @param items the units per SKU
 * @param traceparent the trace of the request that placed the purchase, or {@code null}
 */
public record PurchasedItems(UUID purchaseId, String eventId, List<Item> items, String traceparent) {

	public record Item(String sku, int quantity) {
	}

}
