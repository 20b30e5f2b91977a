package com.example.purchases.e2e;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

/**
 * Records that a producer other than the publisher writes straight to
 * {@code purchases.completed}: each a valid purchase of the contract with one thing wrong, odd
 * or extreme in its headers, its key or its value. Each kind says what the subscribers must
 * make of it: dead-letter it with a readable reason, or, where the oddity is harmless, apply it
 * like any purchase.
 */
final class HostileRecords {

	static final String TOPIC = "purchases.completed";

	/** Every record carries it, byte for byte into the dead-letter topics, to account for it. */
	static final String MARKER = "test-hostile-record";

	private static final int PARTITIONS = 6;

	private HostileRecords() {
	}

	/** What the subscribers must do with a kind of record. */
	enum Fate {

		DEAD_LETTERED, APPLIED

	}

	/**
	 * A hostile record.
	 *
	 * @param kind what is wrong or odd with it
	 * @param fate what the subscribers must make of it
	 * @param purchaseId the purchase it describes (applied ones are looked up by it)
	 * @param customerId its customer, whose partition the record is written to
	 * @param record the record
	 * @param applied the purchase it is, as the subscribers must apply it when its fate is to be
	 */
	record Hostile(String kind, Fate fate, String purchaseId, String customerId, ProducerRecord<byte[], byte[]> record,
			Ledger.Purchase applied) {
	}

	/** One record of each kind, each for a customer of its own. */
	static List<Hostile> all(String run) {
		List<Hostile> all = new ArrayList<>();
		Kinds kinds = new Kinds(run, all);
		kinds.deadLettered("ce_id longer than the contract's 255 characters", (r) -> r.header("ce_id", "e".repeat(300)));
		kinds.deadLettered("ce_id with a NUL character", (r) -> r.header("ce_id", "e-\u0000-" + r.id));
		kinds.deadLettered("ce_id of non-ASCII text", (r) -> r.header("ce_id", "é-" + r.id));
		kinds.deadLettered("ce_time finer than nanoseconds", (r) -> r.header("ce_time", "2026-11-26T21:58:36.1234567891Z"));
		kinds.deadLettered("ce_specversion 0.3", (r) -> r.header("ce_specversion", "0.3"));
		kinds.deadLettered("ce_type of another event", (r) -> r.header("ce_type", "com.example.purchase.cancelled.v1"));
		kinds.deadLettered("ce_source that is not a URI", (r) -> r.header("ce_source", "::: not a uri"));
		kinds.deadLettered("content-type application/xml", (r) -> r.header("content-type", "application/xml"));
		kinds.deadLettered("occurredAt finer than nanoseconds",
				(r) -> r.occurredAt = "\"2026-11-26T21:58:36.1234567891Z\"");
		kinds.deadLettered("occurredAt not in UTC", (r) -> r.occurredAt = "\"2026-11-26T21:58:36+01:00\"");
		kinds.deadLettered("quantity of 1e400", (r) -> r.quantity = "1e400");
		kinds.deadLettered("quantity as a string", (r) -> r.quantity = "\"2\"");
		kinds.deadLettered("unitPrice finer than any minor unit", (r) -> r.unitPrice = "1.00001");
		kinds.deadLettered("total of 2,000 digits", (r) -> r.total = "9".repeat(2000));
		kinds.deadLettered("purchaseId null", (r) -> r.purchaseIdJson = "null");
		kinds.deadLettered("a property named twice", (r) -> r.extra = ",\"currency\":\"USD\"");
		kinds.deadLettered("value nested 10,000 deep", (r) -> r.value = "[".repeat(10_000) + "]".repeat(10_000));
		kinds.deadLettered("value not UTF-8", (r) -> r.raw = new byte[] { (byte) 0xc3, (byte) 0x28, (byte) 0xff });
		kinds.deadLettered("value empty", (r) -> r.value = "");
		kinds.deadLettered("no value (a tombstone)", (r) -> r.raw = null);
		kinds.applied("no key", (r) -> r.keyless = true);
		kinds.applied("a 500 KB property nobody knows", (r) -> r.extra = ",\"notes\":\"" + "x".repeat(500_000) + "\"");
		kinds.applied("a traceparent that is not one", (r) -> r.header("traceparent", "00-zz-not-a-trace"));
		kinds.applied("ce_id given twice (the last one counts)", (r) -> r.headers.add("ce_id", bytes("e2-" + r.id)));
		kinds.applied("occurredAt in year 1", (r) -> r.occurredAt = "\"0001-01-01T00:00:00Z\"");
		kinds.applied("a currency no country uses", (r) -> r.currency = "ZZZ");
		kinds.applied("unitPrice written as 1.5E1", (r) -> {
			r.unitPrice = "1.5E1";
			r.total = "30";
		});
		return all;
	}

	/** The partition the default partitioner gives a key, as the publisher's records get. */
	static int partitionOf(String customerId) {
		return Utils.toPositive(Utils.murmur2(bytes(customerId))) % PARTITIONS;
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static final class Kinds {

		private final String run;

		private final List<Hostile> all;

		Kinds(String run, List<Hostile> all) {
			this.run = run;
			this.all = all;
		}

		void deadLettered(String kind, Consumer<Draft> change) {
			add(kind, Fate.DEAD_LETTERED, change);
		}

		void applied(String kind, Consumer<Draft> change) {
			add(kind, Fate.APPLIED, change);
		}

		private void add(String kind, Fate fate, Consumer<Draft> change) {
			int n = this.all.size();
			Draft draft = new Draft(this.run + "-" + n, Integer.toString(n));
			change.accept(draft);
			Ledger.Purchase applied = (fate == Fate.APPLIED) ? new Ledger.Purchase(draft.id, draft.customerId,
					draft.currency, List.of(new Ledger.Line("HOSTILE-A", Integer.parseInt(draft.quantity),
							new BigDecimal(draft.unitPrice))), new BigDecimal(draft.total), Instant.now()) : null;
			this.all.add(new Hostile(kind, fate, draft.id, draft.customerId, draft.record(), applied));
		}

	}

	/** A valid purchase as the publisher would write it, to be spoilt in one way. */
	private static final class Draft {

		final String id = UUID.randomUUID().toString();

		final String customerId;

		final RecordHeaders headers = new RecordHeaders();

		String purchaseIdJson = "\"" + this.id + "\"";

		String currency = "BRL";

		String quantity = "2";

		String unitPrice = "1.50";

		String total = "3.00";

		String occurredAt;

		String extra = "";

		String value;

		byte[] raw = new byte[0];

		boolean keyless;

		Draft(String customerId, String marker) {
			this.customerId = "c-hostile-" + customerId;
			Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			this.occurredAt = "\"" + now + "\"";
			this.headers.add("ce_specversion", bytes("1.0"));
			this.headers.add("ce_id", bytes(UUID.randomUUID().toString()));
			this.headers.add("ce_source", bytes("/a-foreign-producer"));
			this.headers.add("ce_type", bytes("com.example.purchase.completed.v1"));
			this.headers.add("ce_time", bytes(now.toString()));
			this.headers.add("ce_subject", bytes(this.id));
			this.headers.add("content-type", bytes("application/json"));
			this.headers.add(MARKER, bytes(marker));
		}

		void header(String name, String value) {
			this.headers.remove(name);
			this.headers.add(name, bytes(value));
		}

		ProducerRecord<byte[], byte[]> record() {
			byte[] body;
			if (this.value != null) {
				body = bytes(this.value);
			}
			else if (this.raw == null || this.raw.length > 0) {
				body = this.raw;
			}
			else {
				body = bytes(("{\"purchaseId\":%s,\"customerId\":\"%s\",\"items\":[{\"sku\":\"HOSTILE-A\",\"quantity\":%s,"
						+ "\"unitPrice\":%s}],\"total\":%s,\"currency\":\"%s\",\"occurredAt\":%s%s}").formatted(
								this.purchaseIdJson, this.customerId, this.quantity, this.unitPrice, this.total,
								this.currency, this.occurredAt, this.extra));
			}
			return new ProducerRecord<>(TOPIC, partitionOf(this.customerId), null,
					this.keyless ? null : bytes(this.customerId), body, this.headers);
		}

	}

}
