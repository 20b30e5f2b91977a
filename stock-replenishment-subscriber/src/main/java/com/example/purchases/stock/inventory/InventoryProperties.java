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
 * @param replenishmentTopic where {@code StockReplenishmentRequested} events go
 */
@Validated
@ConfigurationProperties("stock")
public record InventoryProperties(@DefaultValue @Valid Defaults defaults,
		@DefaultValue("classpath:stock-seed.csv") Resource seed, @DefaultValue @Valid Topic replenishmentTopic) {

	/**
	 * @param initialOnHand units on hand of a SKU first seen in a purchase, before that purchase
	 * @param reorderPoint at or below this, a replenishment order is opened
	 * @param reorderQuantity units ordered by a replenishment order
	 */
	public record Defaults(@DefaultValue("100") long initialOnHand, @DefaultValue("20") long reorderPoint,
			@DefaultValue("100") @Min(1) long reorderQuantity) {
	}

	/**
	 * @param name the topic
	 * @param partitions partitions when this service creates it
	 * @param replicationFactor replicas when this service creates it
	 * @param minInsyncReplicas {@code min.insync.replicas}, 0 for the broker's default
	 */
	public record Topic(@DefaultValue("stock.replenishment-requested") @NotBlank String name,
			@DefaultValue("3") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicationFactor,
			@DefaultValue("0") @Min(0) int minInsyncReplicas) {
	}

}
