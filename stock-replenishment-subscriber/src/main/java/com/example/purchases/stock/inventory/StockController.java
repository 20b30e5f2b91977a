package com.example.purchases.stock.inventory;

import java.util.List;

import jakarta.validation.constraints.Pattern;

import com.example.purchases.web.ApiProblem;

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

	private final StockQueries queries;

	StockController(StockQueries queries) {
		this.queries = queries;
	}

	@GetMapping("/{sku}")
	StockLevel stock(@PathVariable @Pattern(regexp = SKU, message = SKU_MESSAGE) String sku) {
		return this.queries.stock(sku)
			.orElseThrow(() -> ApiProblem.notFound("Unknown SKU", "SKU '" + sku + "' has never been stocked or sold."));
	}

	/**
	 * Every SKU, or with {@code belowReorderPoint=true} those at or below their reorder point.
	 */
	@GetMapping
	List<StockLevel> stock(@RequestParam(defaultValue = "false") boolean belowReorderPoint) {
		return this.queries.stock(belowReorderPoint);
	}

}
