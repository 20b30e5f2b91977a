package com.example.purchases.stock.inventory;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The stock of every SKU and its replenishment orders.
 * <p>
 * Purchased units leave stock (stock may go negative: the purchase has happened, the shortfall
 * is backordered). When a SKU's stock on hand is at or below its reorder point and it has no
 * open order, an order for its reorder quantity is opened and a
 * {@link StockReplenishmentRequested} event is written to the outbox in the same transaction.
 * <p>
 * Concurrency: every change of a SKU first locks its {@code stock_item} row (SKUs in sorted
 * order, so that transactions cannot deadlock), and the reorder decision is taken under that
 * lock; replicas working on different partitions that sell the same SKU therefore take turns,
 * and the unique {@code open_sku} column guards the one-open-order rule in the database itself.
 */
@Service
public class Inventory {

	static final URI SOURCE = URI.create("/stock-replenishment-subscriber");

	private static final Logger logger = LoggerFactory.getLogger(Inventory.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcTemplate jdbc;

	private final JdbcClient client;

	private final Outbox outbox;

	private final RecordSpans spans;

	private final InventoryProperties properties;

	private final Counter purchasesApplied;

	private final Counter duplicates;

	private final Counter decrements;

	private final Counter replenishmentsRequested;

	Inventory(JdbcTemplate jdbc, JdbcClient client, Outbox outbox, RecordSpans spans,
			InventoryProperties properties, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.client = client;
		this.outbox = outbox;
		this.spans = spans;
		this.properties = properties;
		this.purchasesApplied = Counter.builder("stock.purchases.applied")
			.description("Purchases whose units were taken off stock")
			.register(meters);
		this.duplicates = Counter.builder("stock.purchases.duplicates")
			.description("Purchase events dropped because their purchase or event was already applied")
			.register(meters);
		this.decrements = Counter.builder("stock.decrements.applied")
			.description("Purchase lines taken off stock")
			.register(meters);
		this.replenishmentsRequested = Counter.builder("stock.replenishments.requested")
			.description("Replenishment orders opened")
			.register(meters);
	}

	/**
	 * Takes purchased units off stock, idempotently: a purchase already applied (same purchase
	 * id or same event id) changes nothing.
	 * @param purchases the purchases of a batch, in the order they were read
	 * @return how many were applied, the others being duplicates
	 */
	@Transactional
	public int withdraw(List<PurchasedItems> purchases) {
		OffsetDateTime now = now();
		int[] inserted = this.jdbc.batchUpdate("""
				INSERT INTO applied_purchase (purchase_id, event_id, applied_at, trace_id) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING""",
				purchases.stream()
					.map((p) -> new Object[] { p.purchaseId(), p.eventId(), now, RecordSpans.traceId(p.traceparent()) })
					.toList());
		Map<String, Long> unitsBySku = new TreeMap<>();
		// An order opened for a SKU belongs to the trace of the last purchase of the SKU in the batch.
		Map<String, String> traceBySku = new TreeMap<>();
		int applied = 0;
		int lines = 0;
		for (int i = 0; i < purchases.size(); i++) {
			if (inserted[i] == 1) {
				applied++;
				for (PurchasedItems.Item item : purchases.get(i).items()) {
					unitsBySku.merge(item.sku(), (long) item.quantity(), Long::sum);
					if (purchases.get(i).traceparent() != null) {
						traceBySku.put(item.sku(), purchases.get(i).traceparent());
					}
					lines++;
				}
			}
			else {
				logger.debug("Duplicate purchase {} (event {}) dropped", purchases.get(i).purchaseId(),
						purchases.get(i).eventId());
			}
		}
		if (!unitsBySku.isEmpty()) {
			addUnknown(unitsBySku.keySet(), now);
			this.jdbc.batchUpdate("UPDATE stock_item SET on_hand = on_hand - ?, updated_at = ? WHERE sku = ?",
					unitsBySku.entrySet().stream().map((e) -> new Object[] { e.getValue(), now, e.getKey() }).toList());
			replenishIfLow(unitsBySku.keySet(), traceBySku);
		}
		this.purchasesApplied.increment(applied);
		this.duplicates.increment(purchases.size() - applied);
		this.decrements.increment(lines);
		return applied;
	}

	/**
	 * Records the delivery of a whole order: it closes and its units are on hand. If the SKU is
	 * still at or below its reorder point, a new order opens at once.
	 * @param id the order
	 * @return the order, received
	 * @throws NotFoundException if there is no such order
	 * @throws ReplenishmentNotOpenException if it is not open
	 */
	@Transactional
	public ReplenishmentOrder receive(UUID id) {
		String sku = this.client.sql("SELECT sku FROM replenishment_order WHERE id = :id")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElseThrow(() -> orderNotFound(id));
		// The SKU's row first, as everywhere else, then the order.
		this.client.sql("SELECT sku FROM stock_item WHERE sku = :sku FOR UPDATE").param("sku", sku).query().listOfRows();
		int closed = this.client.sql("""
				UPDATE replenishment_order SET status = 'RECEIVED', open_sku = NULL, received_at = :now
				WHERE id = :id AND status = 'OPEN'""")
			.param("now", now())
			.param("id", id)
			.update();
		ReplenishmentOrder order = order(id).orElseThrow(() -> orderNotFound(id));
		if (closed == 0) {
			throw new ReplenishmentNotOpenException(id, order.status());
		}
		this.jdbc.update("UPDATE stock_item SET on_hand = on_hand + ?, updated_at = ? WHERE sku = ?", order.quantity(),
				now(), sku);
		logger.info("Replenishment {} of {} x {} received", id, order.quantity(), sku);
		replenishIfLow(List.of(sku), Map.of());
		return order;
	}

	/**
	 * Adds SKUs from the seed file; SKUs already known keep their stock.
	 * @param levels the seed
	 * @return how many SKUs were added
	 */
	@Transactional
	public int seed(List<StockLevel> levels) {
		OffsetDateTime now = now();
		int[] inserted = this.jdbc.batchUpdate("""
				INSERT INTO stock_item (sku, on_hand, reorder_point, reorder_quantity, updated_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
				levels.stream()
					.map((level) -> new Object[] { level.sku(), level.onHand(), level.reorderPoint(),
							level.reorderQuantity(), now })
					.toList());
		int added = 0;
		for (int count : inserted) {
			added += count;
		}
		// A seeded SKU may already be low.
		replenishIfLow(levels.stream().map(StockLevel::sku).toList(), Map.of());
		return added;
	}

	@Transactional(readOnly = true)
	Optional<StockLevel> stock(String sku) {
		return this.client
			.sql("SELECT sku, on_hand, reorder_point, reorder_quantity FROM stock_item WHERE sku = :sku")
			.param("sku", sku)
			.query(Inventory::stockLevel)
			.optional();
	}

	@Transactional(readOnly = true)
	List<StockLevel> stock(boolean atOrBelowReorderPointOnly) {
		return this.client.sql("SELECT sku, on_hand, reorder_point, reorder_quantity FROM stock_item"
				+ (atOrBelowReorderPointOnly ? " WHERE on_hand <= reorder_point" : "") + " ORDER BY sku")
			.query(Inventory::stockLevel)
			.list();
	}

	@Transactional(readOnly = true)
	Optional<AppliedPurchase> applied(UUID purchaseId) {
		return this.client.sql("SELECT applied_at, trace_id FROM applied_purchase WHERE purchase_id = :id")
			.param("id", purchaseId)
			.query((rs, n) -> new AppliedPurchase(purchaseId, rs.getObject("applied_at", OffsetDateTime.class).toInstant(),
					rs.getString("trace_id")))
			.optional();
	}

	@Transactional(readOnly = true)
	Optional<ReplenishmentOrder> order(UUID id) {
		return this.client.sql("""
				SELECT id, sku, quantity, status, requested_at, received_at FROM replenishment_order WHERE id = :id""")
			.param("id", id)
			.query(Inventory::order)
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
		return this.client.sql(sql + " ORDER BY requested_at DESC, id").params(params).query(Inventory::order).list();
	}

	/** SKUs first seen in a purchase start with the documented defaults. */
	private void addUnknown(Collection<String> skus, OffsetDateTime now) {
		InventoryProperties.Defaults defaults = this.properties.defaults();
		this.jdbc.batchUpdate("""
				INSERT INTO stock_item (sku, on_hand, reorder_point, reorder_quantity, updated_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
				skus.stream()
					.map((sku) -> new Object[] { sku, defaults.initialOnHand(), defaults.reorderPoint(),
							defaults.reorderQuantity(), now })
					.toList());
	}

	/**
	 * Opens an order for each of the SKUs that is at or below its reorder point without one,
	 * deciding under the SKUs' row locks (already held when the caller changed their stock).
	 * @param traceBySku the trace each SKU's order continues; the current one for SKUs not in it
	 */
	private void replenishIfLow(Collection<String> skus, Map<String, String> traceBySku) {
		List<StockLevel> low = this.client.sql("""
				SELECT sku, on_hand, reorder_point, reorder_quantity FROM stock_item
				WHERE sku IN (:skus) AND on_hand <= reorder_point ORDER BY sku FOR UPDATE""")
			.param("skus", List.copyOf(skus))
			.query(Inventory::stockLevel)
			.list();
		if (low.isEmpty()) {
			return;
		}
		Set<String> withOpenOrder = new HashSet<>(
				this.client.sql("SELECT open_sku FROM replenishment_order WHERE open_sku IN (:skus)")
					.param("skus", low.stream().map(StockLevel::sku).toList())
					.query(String.class)
					.list());
		List<StockLevel> toOrder = new ArrayList<>();
		for (StockLevel level : low) {
			if (!withOpenOrder.contains(level.sku())) {
				toOrder.add(level);
			}
		}
		for (StockLevel level : toOrder) {
			this.spans.inTrace(traceBySku.get(level.sku()), "stock-replenishment open order", () -> openOrder(level));
		}
	}

	private void openOrder(StockLevel level) {
		UUID id = UUID.randomUUID();
		Instant requestedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.client.sql("""
				INSERT INTO replenishment_order (id, sku, quantity, status, open_sku, on_hand_at_request, requested_at)
				VALUES (:id, :sku, :quantity, 'OPEN', :sku, :onHand, :requestedAt)""")
			.param("id", id)
			.param("sku", level.sku())
			.param("quantity", level.reorderQuantity())
			.param("onHand", level.onHand())
			.param("requestedAt", requestedAt.atOffset(ZoneOffset.UTC))
			.update();
		StockReplenishmentRequested event = new StockReplenishmentRequested(id, level.sku(), level.reorderQuantity(),
				level.onHand(), requestedAt);
		this.outbox.append(new OutboxEvent(UUID.randomUUID(), this.properties.replenishmentTopic().name(), level.sku(),
				StockReplenishmentRequested.TYPE, SOURCE, id.toString(), requestedAt, JSON.writeValueAsString(event),
				this.spans.currentTraceparent()));
		this.replenishmentsRequested.increment();
		logger.info("Replenishment {} of {} x {} requested (on hand {}, reorder point {})", id,
				level.reorderQuantity(), level.sku(), level.onHand(), level.reorderPoint());
	}

	private static NotFoundException orderNotFound(UUID id) {
		return new NotFoundException("Unknown replenishment order", "There is no replenishment order " + id + ".");
	}

	private static StockLevel stockLevel(ResultSet rs, int row) throws SQLException {
		return new StockLevel(rs.getString("sku"), rs.getLong("on_hand"), rs.getLong("reorder_point"),
				rs.getLong("reorder_quantity"));
	}

	private static ReplenishmentOrder order(ResultSet rs, int row) throws SQLException {
		OffsetDateTime received = rs.getObject("received_at", OffsetDateTime.class);
		return new ReplenishmentOrder(rs.getObject("id", UUID.class), rs.getString("sku"), rs.getLong("quantity"),
				ReplenishmentOrder.Status.valueOf(rs.getString("status")),
				rs.getObject("requested_at", OffsetDateTime.class).toInstant(),
				(received != null) ? received.toInstant() : null);
	}

	private static OffsetDateTime now() {
		return OffsetDateTime.now(ZoneOffset.UTC);
	}

}
