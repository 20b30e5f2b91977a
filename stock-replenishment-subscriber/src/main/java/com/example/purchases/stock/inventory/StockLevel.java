package com.example.purchases.stock.inventory;

/**
 * The stock of a SKU; {@code onHand} is negative while purchases are backordered.
 */
record StockLevel(String sku, long onHand, long reorderPoint, long reorderQuantity) {
}
