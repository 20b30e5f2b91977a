package com.example.purchases.publisher.purchase;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a client sends to place a purchase. Prices are JSON numbers read straight into
 * {@link BigDecimal}, never through a binary floating point type.
 */
@PricesFitCurrency
record PlacePurchaseRequest(
		@NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String customerId,
		@NotNull @CurrencyCode String currency,
		@NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Line> items) {

	record Line(@NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
			@NotNull @Min(value = 1, message = "must be between 1 and 10000") @Max(value = 10_000,
					message = "must be between 1 and 10000") Integer quantity,
			@NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000000") BigDecimal unitPrice) {
	}

	/**
	 * Customer ids and SKUs: safe in URLs, logs and Kafka keys without escaping.
	 */
	interface Identifiers {

		String PATTERN = "[A-Za-z0-9._:-]{1,64}";

		String MESSAGE = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

	}

}
