package com.example.purchases.stock.inventory;

import java.util.List;

import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/stock")
class StockController {

	static final String SKU = "[A-Za-z0-9._:-]{1,64}";

	static final String SKU_MESSAGE = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

	private final Inventory inventory;

	StockController(Inventory inventory) {
		this.inventory = inventory;
	}

	@GetMapping("/{sku}")
	StockLevel stock(@PathVariable @Pattern(regexp = SKU, message = SKU_MESSAGE) String sku) {
		return this.inventory.stock(sku)
			.orElseThrow(() -> new NotFoundException("Unknown SKU", "SKU '" + sku + "' has never been stocked or sold."));
	}

	/**
	 * Every SKU, or with {@code belowReorderPoint=true} those at or below their reorder point.
	 */
	@GetMapping
	List<StockLevel> stock(@RequestParam(defaultValue = "false") boolean belowReorderPoint) {
		return this.inventory.stock(belowReorderPoint);
	}

}
