package com.example.purchases.e2e;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What the publisher accepted: each purchase once, by its id, however often it was retried.
 * The subscribers must end up reflecting exactly this.
 */
final class Ledger {

	private final Map<String, Purchase> accepted = new ConcurrentHashMap<>();

	record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

	/**
	 * @param acceptedAt when the client got the 202 (its own clock)
	 */
	record Purchase(String purchaseId, String customerId, String currency, List<Line> lines, BigDecimal total,
			Instant acceptedAt) {

		/** The same purchase: the ids and what was bought, whenever it was accepted. */
		boolean sameAs(Purchase other) {
			return this.purchaseId.equals(other.purchaseId) && this.customerId.equals(other.customerId)
					&& this.currency.equals(other.currency) && this.lines.equals(other.lines)
					&& this.total.compareTo(other.total) == 0;
		}

	}

	/**
	 * @return whether the purchase is new; a retry under the same ids must describe the same
	 * purchase
	 */
	boolean accept(Purchase purchase) {
		Purchase previous = this.accepted.putIfAbsent(purchase.purchaseId(), purchase);
		if (previous != null && !previous.sameAs(purchase)) {
			throw new IllegalStateException("Same id, different purchase: " + previous + " / " + purchase);
		}
		return previous == null;
	}

	int size() {
		return this.accepted.size();
	}

	Set<String> ids() {
		return Set.copyOf(this.accepted.keySet());
	}

	Instant acceptedAt(String purchaseId) {
		return this.accepted.get(purchaseId).acceptedAt();
	}

	/** The ids of a customer's purchases. */
	Set<String> idsOf(String customerId) {
		return this.accepted.values()
			.stream()
			.filter((p) -> p.customerId().equals(customerId))
			.map(Purchase::purchaseId)
			.collect(Collectors.toSet());
	}

	String customerOf(String purchaseId) {
		return this.accepted.get(purchaseId).customerId();
	}

	Set<String> customers() {
		return this.accepted.values().stream().map(Purchase::customerId).collect(Collectors.toCollection(TreeSet::new));
	}

	long purchasesOf(String customerId) {
		return this.accepted.values().stream().filter((p) -> p.customerId().equals(customerId)).count();
	}

	/** Totals per currency of a customer's purchases. */
	Map<String, BigDecimal> totalsOf(String customerId) {
		Map<String, BigDecimal> totals = new TreeMap<>();
		this.accepted.values()
			.stream()
			.filter((p) -> p.customerId().equals(customerId))
			.forEach((p) -> totals.merge(p.currency(), p.total(), BigDecimal::add));
		return totals;
	}

	/** Units sold per SKU. */
	Map<String, Long> unitsBySku() {
		Map<String, Long> units = new TreeMap<>();
		this.accepted.values()
			.forEach((p) -> p.lines().forEach((line) -> units.merge(line.sku(), (long) line.quantity(), Long::sum)));
		return units;
	}

}
