package com.example.purchases.history.customer;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the history. Each method reads one snapshot (repeatable read), so a page and its
 * total count agree even while purchases are being recorded.
 */
@Repository
class CustomerHistoryQueries {

	private final JdbcClient jdbc;

	CustomerHistoryQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	Optional<CustomerSummary> summary(String customerId) {
		return this.jdbc.sql("""
				SELECT purchase_count, first_purchase_at, last_purchase_at FROM customer_summary
				WHERE customer_id = :customerId""")
			.param("customerId", customerId)
			.query((rs, n) -> new CustomerSummary(customerId, rs.getLong("purchase_count"), totals(customerId),
					rs.getObject("first_purchase_at", OffsetDateTime.class).toInstant(),
					rs.getObject("last_purchase_at", OffsetDateTime.class).toInstant()))
			.optional();
	}

	private Map<String, BigDecimal> totals(String customerId) {
		Map<String, BigDecimal> totals = new TreeMap<>();
		this.jdbc.sql("SELECT currency, total FROM customer_total WHERE customer_id = :customerId")
			.param("customerId", customerId)
			.query((rs) -> {
				String currency = rs.getString("currency");
				totals.put(currency, Money.inCurrencyScale(rs.getBigDecimal("total"), currency));
			});
		return totals;
	}

	/**
	 * @return the page, newest purchase first, or empty when the customer has no history
	 */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	Optional<PageOf<PurchaseView>> purchases(String customerId, int page, int size) {
		Optional<Long> count = this.jdbc
			.sql("SELECT purchase_count FROM customer_summary WHERE customer_id = :customerId")
			.param("customerId", customerId)
			.query(Long.class)
			.optional();
		if (count.isEmpty()) {
			return Optional.empty();
		}
		Map<UUID, PurchaseView> purchases = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT purchase_id, occurred_at, currency, total FROM purchase WHERE customer_id = :customerId
				ORDER BY occurred_at DESC, purchase_id LIMIT :size OFFSET :offset""")
			.param("customerId", customerId)
			.param("size", size)
			.param("offset", (long) page * size)
			.query((rs) -> {
				UUID id = rs.getObject("purchase_id", UUID.class);
				String currency = rs.getString("currency");
				purchases.put(id, new PurchaseView(id, rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
						currency, Money.inCurrencyScale(rs.getBigDecimal("total"), currency), new ArrayList<>()));
			});
		if (!purchases.isEmpty()) {
			this.jdbc.sql("""
					SELECT purchase_id, sku, quantity, unit_price FROM purchase_line WHERE purchase_id IN (:ids)
					ORDER BY purchase_id, line_number""")
				.param("ids", List.copyOf(purchases.keySet()))
				.query((rs) -> {
					PurchaseView purchase = purchases.get(rs.getObject("purchase_id", UUID.class));
					purchase.items().add(new PurchaseView.Line(rs.getString("sku"), rs.getInt("quantity"),
							Money.inCurrencyScale(rs.getBigDecimal("unit_price"), purchase.currency())));
				});
		}
		return Optional.of(PageOf.of(List.copyOf(purchases.values()), page, size, count.get()));
	}

}
