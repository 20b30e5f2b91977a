package com.example.purchases.stock.inventory;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * Stock settings, under {@code stock.*}.
 *
 * @param defaults what a SKU never seen before starts with
 * @param seed a CSV file of {@code sku,onHand,reorderPoint,reorderQuantity} loaded at start-up;
 * SKUs already known keep their stock
 * @param replenishmentTopic where {@code StockReplenishmentRequested} events go (its partition
 * count is the contract's)
 */
@Validated
@ConfigurationProperties("stock")
public record InventoryProperties(@DefaultValue @Valid Defaults defaults,
		@DefaultValue("classpath:stock-seed.csv") Resource seed,
		@DefaultValue("stock.replenishment-requested") @NotBlank String replenishmentTopic) {

	/**
	 * @param initialOnHand units on hand of a SKU first seen in a purchase, before that purchase
	 * @param reorderPoint at or below this, a replenishment order is opened
	 * @param reorderQuantity units ordered by a replenishment order
	 */
	public record Defaults(@DefaultValue("100") long initialOnHand, @DefaultValue("20") long reorderPoint,
			@DefaultValue("100") @Min(1) long reorderQuantity) {
	}

}
