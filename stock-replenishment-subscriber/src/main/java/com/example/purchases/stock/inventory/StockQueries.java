package com.example.purchases.stock.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import com.example.purchases.web.ApiProblem;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads stock levels and replenishment orders.
 */
@Repository
class StockQueries {

	private final JdbcClient jdbc;

	StockQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	Optional<StockLevel> stock(String sku) {
		return this.jdbc.sql("SELECT sku, on_hand, reorder_point, reorder_quantity FROM stock_item WHERE sku = :sku")
			.param("sku", sku)
			.query(ReorderPolicy::stockLevel)
			.optional();
	}

	@Transactional(readOnly = true)
	List<StockLevel> stock(boolean atOrBelowReorderPointOnly) {
		return this.jdbc.sql("SELECT sku, on_hand, reorder_point, reorder_quantity FROM stock_item"
				+ (atOrBelowReorderPointOnly ? " WHERE on_hand <= reorder_point" : "") + " ORDER BY sku")
			.query(ReorderPolicy::stockLevel)
			.list();
	}

	@Transactional(readOnly = true)
	Optional<ReplenishmentOrder> order(UUID id) {
		return this.jdbc.sql("""
				SELECT id, sku, quantity, status, requested_at, received_at FROM replenishment_order WHERE id = :id""")
			.param("id", id)
			.query(StockQueries::order)
			.optional();
	}

	@Transactional(readOnly = true)
	List<ReplenishmentOrder> orders(ReplenishmentOrder.Status status, String sku) {
		StringBuilder sql = new StringBuilder(
				"SELECT id, sku, quantity, status, requested_at, received_at FROM replenishment_order WHERE 1 = 1");
		Map<String, Object> params = new TreeMap<>();
		if (status != null) {
			sql.append(" AND status = :status");
			params.put("status", status.name());
		}
		if (sku != null) {
			sql.append(" AND sku = :sku");
			params.put("sku", sku);
		}
		return this.jdbc.sql(sql + " ORDER BY requested_at DESC, id").params(params).query(StockQueries::order).list();
	}

	/** There is no replenishment order of this id: a 404 problem. */
	static ApiProblem unknownOrder(UUID id) {
		return ApiProblem.notFound("Unknown replenishment order", "There is no replenishment order " + id + ".");
	}

	private static ReplenishmentOrder order(ResultSet rs, int row) throws SQLException {
		OffsetDateTime received = rs.getObject("received_at", OffsetDateTime.class);
		return new ReplenishmentOrder(rs.getObject("id", UUID.class), rs.getString("sku"), rs.getLong("quantity"),
				ReplenishmentOrder.Status.valueOf(rs.getString("status")),
				rs.getObject("requested_at", OffsetDateTime.class).toInstant(),
				(received != null) ? received.toInstant() : null);
	}

}
