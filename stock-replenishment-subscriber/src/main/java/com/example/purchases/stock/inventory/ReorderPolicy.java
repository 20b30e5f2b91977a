package com.example.purchases.stock.inventory;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.messaging.RecordSpans;
import com.example.purchases.stock.outbox.Outbox;
import com.example.purchases.stock.outbox.OutboxEvent;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * When a SKU's stock on hand is at or below its reorder point and it has no open order, an order
 * for its reorder quantity is opened, and a {@link StockReplenishmentRequested} event is written
 * to the outbox in the same transaction, so that the order and its event never diverge.
 * <p>
 * Exactly one open order per SKU, whatever the number of replicas and partitions: the decision
 * is taken under the SKU's row lock, and the unique {@code open_sku} column guards the rule in
 * the database itself.
 */
@Component
class ReorderPolicy {

	static final URI SOURCE = URI.create("/stock-replenishment-subscriber");

	private static final Logger logger = LoggerFactory.getLogger(ReorderPolicy.class);

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	private final RecordSpans spans;

	private final JsonMapper json;

	private final String topic;

	private final Counter requested;

	ReorderPolicy(JdbcTemplate jdbc, Outbox outbox, RecordSpans spans, JsonMapper json, InventoryProperties properties,
			MeterRegistry meters) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.spans = spans;
		this.json = json;
		this.topic = properties.replenishmentTopic();
		this.requested = Counter.builder("stock.replenishments.requested")
			.description("Replenishment orders opened")
			.register(meters);
	}

	/**
	 * Opens an order for each of the SKUs that is at or below its reorder point without one,
	 * deciding under the SKUs' row locks (taken here, if the caller has not yet).
	 * @param skus the SKUs whose stock changed
	 * @param traceBySku the trace each SKU's order continues; the current one for SKUs not in it
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void replenishIfLow(Collection<String> skus, Map<String, String> traceBySku) {
		if (skus.isEmpty()) {
			return;
		}
		String in = String.join(", ", skus.stream().map((sku) -> "?").toList());
		List<StockLevel> low = this.jdbc.query("SELECT sku, on_hand, reorder_point, reorder_quantity FROM stock_item "
				+ "WHERE sku IN (" + in + ") AND on_hand <= reorder_point ORDER BY sku FOR UPDATE",
				ReorderPolicy::stockLevel, skus.toArray());
		if (low.isEmpty()) {
			return;
		}
		Set<String> withOpenOrder = new HashSet<>(this.jdbc.queryForList(
				"SELECT open_sku FROM replenishment_order WHERE open_sku IN ("
						+ String.join(", ", low.stream().map((level) -> "?").toList()) + ")",
				String.class, low.stream().map(StockLevel::sku).toArray()));
		for (StockLevel level : low) {
			if (!withOpenOrder.contains(level.sku())) {
				this.spans.inTrace(traceBySku.get(level.sku()), "stock-replenishment open order", () -> open(level));
			}
		}
	}

	private void open(StockLevel level) {
		UUID id = UUID.randomUUID();
		Instant requestedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.jdbc.update("""
				INSERT INTO replenishment_order (id, sku, quantity, status, open_sku, on_hand_at_request, requested_at)
				VALUES (?, ?, ?, 'OPEN', ?, ?, ?)""", id, level.sku(), level.reorderQuantity(), level.sku(),
				level.onHand(), requestedAt.atOffset(ZoneOffset.UTC));
		StockReplenishmentRequested event = new StockReplenishmentRequested(id, level.sku(), level.reorderQuantity(),
				level.onHand(), requestedAt);
		this.outbox.append(new OutboxEvent(UUID.randomUUID(), this.topic, level.sku(), StockReplenishmentRequested.TYPE,
				SOURCE, id.toString(), requestedAt, this.json.writeValueAsString(event), this.spans.currentTraceparent()));
		this.requested.increment();
		logger.info("Replenishment {} of {} x {} requested (on hand {}, reorder point {})", id, level.reorderQuantity(),
				level.sku(), level.onHand(), level.reorderPoint());
	}

	static StockLevel stockLevel(ResultSet rs, int row) throws SQLException {
		return new StockLevel(rs.getString("sku"), rs.getLong("on_hand"), rs.getLong("reorder_point"),
				rs.getLong("reorder_quantity"));
	}

}
