package com.example.purchases.stock.inventory;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/replenishments")
class ReplenishmentController {

	private final StockQueries queries;

	private final Receipts receipts;

	ReplenishmentController(StockQueries queries, Receipts receipts) {
		this.queries = queries;
		this.receipts = receipts;
	}

	/**
	 * Orders, newest first, optionally of one status and one SKU.
	 */
	@GetMapping
	List<ReplenishmentOrder> orders(@RequestParam(required = false) ReplenishmentOrder.Status status,
			@RequestParam(required = false) @Pattern(regexp = StockController.SKU,
					message = StockController.SKU_MESSAGE) String sku) {
		return this.queries.orders(status, sku);
	}

	@GetMapping("/{id}")
	ReplenishmentOrder order(@PathVariable UUID id) {
		return this.queries.order(id).orElseThrow(() -> StockQueries.unknownOrder(id));
	}

	/**
	 * Records the delivery of the whole order. No body.
	 */
	@PostMapping("/{id}/receipt")
	ReplenishmentOrder receive(@PathVariable UUID id) {
		return this.receipts.receive(id);
	}

}
