package com.example.purchases.stock.inventory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The stock on hand of every SKU, as purchases take units and seeds add SKUs; after each change
 * the {@link ReorderPolicy} decides whether an order opens.
 * <p>
 * Stock may go negative: the purchase has happened, the shortfall is backordered. Concurrency:
 * every change of a SKU first locks its {@code stock_item} row, SKUs in sorted order so that
 * transactions cannot deadlock, and the reorder decision is taken under that lock; replicas
 * working on different partitions that sell the same SKU therefore take turns.
 */
@Repository
public class StockLevels {

	private final JdbcTemplate jdbc;

	private final ReorderPolicy reorders;

	private final InventoryProperties.Defaults defaults;

	private final Counter decrements;

	StockLevels(JdbcTemplate jdbc, ReorderPolicy reorders, InventoryProperties properties, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.reorders = reorders;
		this.defaults = properties.defaults();
		this.decrements = Counter.builder("stock.decrements.applied")
			.description("Purchase lines taken off stock")
			.register(meters);
	}

	/**
	 * Takes purchased units off stock, in the caller's transaction.
	 * @param withdrawals the lines of the purchases applied now (not of duplicates)
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void withdraw(List<Withdrawal> withdrawals) {
		if (withdrawals.isEmpty()) {
			return;
		}
		// Sorted: rows are locked in SKU order, the same in every concurrent transaction.
		Map<String, Long> unitsBySku = new TreeMap<>();
		// An order opened for a SKU belongs to the trace of the last purchase of the SKU.
		Map<String, String> traceBySku = new TreeMap<>();
		for (Withdrawal withdrawal : withdrawals) {
			unitsBySku.merge(withdrawal.sku(), withdrawal.quantity(), Long::sum);
			if (withdrawal.traceparent() != null) {
				traceBySku.put(withdrawal.sku(), withdrawal.traceparent());
			}
		}
		OffsetDateTime now = now();
		addUnknown(unitsBySku.keySet(), now);
		this.jdbc.batchUpdate("UPDATE stock_item SET on_hand = on_hand - ?, updated_at = ? WHERE sku = ?",
				unitsBySku.entrySet().stream().map((e) -> new Object[] { e.getValue(), now, e.getKey() }).toList());
		this.reorders.replenishIfLow(unitsBySku.keySet(), traceBySku);
		this.decrements.increment(withdrawals.size());
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
					.sorted((a, b) -> a.sku().compareTo(b.sku()))
					.map((level) -> new Object[] { level.sku(), level.onHand(), level.reorderPoint(),
							level.reorderQuantity(), now })
					.toList());
		int added = 0;
		for (int count : inserted) {
			added += count;
		}
		// A seeded SKU may already be low.
		this.reorders.replenishIfLow(levels.stream().map(StockLevel::sku).toList(), Map.of());
		return added;
	}

	/**
	 * Puts delivered units on hand, in the caller's transaction, which holds the SKU's lock.
	 * @param sku the SKU
	 * @param quantity the units delivered
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void receive(String sku, long quantity) {
		this.jdbc.update("UPDATE stock_item SET on_hand = on_hand + ?, updated_at = ? WHERE sku = ?", quantity, now(),
				sku);
		this.reorders.replenishIfLow(List.of(sku), Map.of());
	}

	/**
	 * Locks a SKU's row, as every change of it does first.
	 * @param sku the SKU
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void lock(String sku) {
		this.jdbc.queryForList("SELECT sku FROM stock_item WHERE sku = ? FOR UPDATE", sku);
	}

	/** SKUs first seen in a purchase start with the documented defaults. */
	private void addUnknown(Collection<String> skus, OffsetDateTime now) {
		this.jdbc.batchUpdate("""
				INSERT INTO stock_item (sku, on_hand, reorder_point, reorder_quantity, updated_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
				skus.stream()
					.map((sku) -> new Object[] { sku, this.defaults.initialOnHand(), this.defaults.reorderPoint(),
							this.defaults.reorderQuantity(), now })
					.toList());
	}

	private static OffsetDateTime now() {
		return OffsetDateTime.now(ZoneOffset.UTC);
	}

	/**
	 * Units of a SKU that a purchase takes.
	 *
	 * @param sku the SKU
	 * @param quantity the units
	 * @param traceparent the trace of the request that placed the purchase, or {@code null}
	 */
	public record Withdrawal(String sku, long quantity, String traceparent) {
	}

}
