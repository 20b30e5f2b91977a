package com.example.purchases.history.customer;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import com.example.purchases.web.ApiProblem;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/customers/{customerId}")
class CustomerHistoryController {

	private static final String CUSTOMER_ID = "[A-Za-z0-9._:-]{1,64}";

	private static final String CUSTOMER_ID_MESSAGE = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

	private final CustomerHistoryQueries queries;

	CustomerHistoryController(CustomerHistoryQueries queries) {
		this.queries = queries;
	}

	@GetMapping("/purchases")
	PageOf<PurchaseView> purchases(
			@PathVariable @Pattern(regexp = CUSTOMER_ID, message = CUSTOMER_ID_MESSAGE) String customerId,
			@RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") int page,
			@RequestParam(defaultValue = "20") @Min(value = 1, message = "must be between 1 and 100") @Max(value = 100,
					message = "must be between 1 and 100") int size) {
		return this.queries.purchases(customerId, page, size)
			.orElseThrow(() -> unknown(customerId));
	}

	@GetMapping("/summary")
	CustomerSummary summary(
			@PathVariable @Pattern(regexp = CUSTOMER_ID, message = CUSTOMER_ID_MESSAGE) String customerId) {
		return this.queries.summary(customerId).orElseThrow(() -> unknown(customerId));
	}

	/** No purchase of this customer recorded (yet: the history follows the purchases accepted). */
	private static ApiProblem unknown(String customerId) {
		return ApiProblem.notFound("Unknown customer", "No purchase of customer '" + customerId + "' has been recorded.");
	}

}
