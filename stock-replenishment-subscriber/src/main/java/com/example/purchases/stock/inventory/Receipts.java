package com.example.purchases.stock.inventory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.web.ApiProblem;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records the delivery of a whole replenishment order ({@code POST /replenishments/{id}/receipt}):
 * it closes and its units are on hand; if the SKU is still at or below its reorder point, a new
 * order opens at once.
 */
@Service
class Receipts {

	private static final Logger logger = LoggerFactory.getLogger(Receipts.class);

	private final JdbcTemplate jdbc;

	private final StockLevels stock;

	private final StockQueries queries;

	Receipts(JdbcTemplate jdbc, StockLevels stock, StockQueries queries) {
		this.jdbc = jdbc;
		this.stock = stock;
		this.queries = queries;
	}

	/**
	 * @param id the order
	 * @return the order, received
	 * @throws ApiProblem 404 if there is no such order
	 * @throws ReplenishmentNotOpenException if it is not open; nothing changes
	 */
	@Transactional
	ReplenishmentOrder receive(UUID id) {
		String sku = this.jdbc.queryForList("SELECT sku FROM replenishment_order WHERE id = ?", String.class, id)
			.stream()
			.findFirst()
			.orElseThrow(() -> StockQueries.unknownOrder(id));
		// The SKU's row first, as every change of it, then the order.
		this.stock.lock(sku);
		int closed = this.jdbc.update("""
				UPDATE replenishment_order SET status = 'RECEIVED', open_sku = NULL, received_at = ?
				WHERE id = ? AND status = 'OPEN'""", OffsetDateTime.now(ZoneOffset.UTC), id);
		ReplenishmentOrder order = this.queries.order(id).orElseThrow(() -> StockQueries.unknownOrder(id));
		if (closed == 0) {
			throw new ReplenishmentNotOpenException(id, order.status());
		}
		this.stock.receive(sku, order.quantity());
		logger.info("Replenishment {} of {} x {} received", id, order.quantity(), sku);
		return order;
	}

}
