package com.example.purchases.notification.confirmation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import com.example.purchases.web.ApiProblem;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /customers/{id}/notifications}: what was sent, skipped or failed for a customer's
 * purchases, newest purchase first, paged like the history.
 */
@RestController
class NotificationController {

	private static final String CUSTOMER_ID = "[A-Za-z0-9._:-]{1,64}";

	private static final String CUSTOMER_ID_MESSAGE = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

	private static final String DONE = "status IN ('SENT', 'SKIPPED', 'FAILED')";

	private final JdbcTemplate jdbc;

	NotificationController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/customers/{customerId}/notifications")
	PageOf<NotificationView> notifications(
			@PathVariable @Pattern(regexp = CUSTOMER_ID, message = CUSTOMER_ID_MESSAGE) String customerId,
			@RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") int page,
			@RequestParam(defaultValue = "20") @Min(value = 1, message = "must be between 1 and 100") @Max(value = 100,
					message = "must be between 1 and 100") int size) {
		long total = this.jdbc.queryForObject("SELECT count(*) FROM notification WHERE customer_id = ? AND " + DONE,
				Long.class, customerId);
		if (total == 0) {
			throw ApiProblem.notFound("Unknown customer",
					"No purchase of customer '" + customerId + "' has been confirmed, skipped or failed yet.");
		}
		List<NotificationView> content = this.jdbc.query("""
				SELECT purchase_id, status, recipient, reason, total, currency, occurred_at, applied_at
				FROM notification WHERE customer_id = ? AND %s
				ORDER BY occurred_at DESC, purchase_id LIMIT ? OFFSET ?""".formatted(DONE),
				(row, n) -> new NotificationView(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
						row.getString(4), scaled(row.getBigDecimal(5), row.getString(6)), row.getString(6),
						row.getObject(7, OffsetDateTime.class).toInstant(),
						row.getObject(8, OffsetDateTime.class).toInstant()),
				customerId, size, (long) page * size);
		return PageOf.of(content, page, size, total);
	}

	/** In the currency's minor unit, as the purchase was placed: 119.80 BRL, 1200 JPY. */
	private static BigDecimal scaled(BigDecimal amount, String currency) {
		try {
			return amount.setScale(Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits()),
					RoundingMode.HALF_EVEN);
		}
		catch (IllegalArgumentException ex) {
			return amount.stripTrailingZeros();
		}
	}

}
