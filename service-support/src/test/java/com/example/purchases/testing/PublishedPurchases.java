package com.example.purchases.testing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.messaging.EventSchema;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Produces records exactly as purchase-publisher does: key customerId, the CloudEvents
 * headers, the JSON of the contract (checked against its schema before it is sent). Every
 * subscriber of this system reads {@code purchases.completed}, so their tests share it
 * (service-support's test-jar); the contract is its only source.
 */
public final class PublishedPurchases {

	public static final String TOPIC = "purchases.completed";

	private static final EventSchema SCHEMA = EventSchema.load("purchase-completed.v1.schema.json");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final KafkaTemplate<byte[], byte[]> kafka;

	public PublishedPurchases(KafkaTemplate<byte[], byte[]> kafka) {
		this.kafka = kafka;
	}

	/**
	 * A purchase as the publisher would describe it, in the trace of the request that placed it.
	 */
	public record Purchase(UUID purchaseId, UUID eventId, String customerId, String currency, Instant occurredAt,
			List<Line> items, String traceId) {

		public static Purchase of(String customerId, String currency, Line... items) {
			return new Purchase(UUID.randomUUID(), UUID.randomUUID(), customerId, currency,
					Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of(items),
					UUID.randomUUID().toString().replace("-", ""));
		}

		public Purchase withEventId(UUID eventId) {
			return new Purchase(this.purchaseId, eventId, this.customerId, this.currency, this.occurredAt, this.items,
					this.traceId);
		}

		public Purchase withItems(Line... items) {
			return new Purchase(this.purchaseId, this.eventId, this.customerId, this.currency, this.occurredAt,
					List.of(items), this.traceId);
		}

		public Purchase at(Instant occurredAt) {
			return new Purchase(this.purchaseId, this.eventId, this.customerId, this.currency, occurredAt, this.items,
					this.traceId);
		}

		/** The W3C trace context the publisher puts on the record (a sampled span of the trace). */
		public String traceparent() {
			return "00-" + this.traceId + "-" + this.traceId.substring(0, 16) + "-01";
		}

		public BigDecimal total() {
			return this.items.stream()
				.map((line) -> line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())))
				.reduce(BigDecimal.ZERO, BigDecimal::add);
		}

		public String json() {
			StringBuilder items = new StringBuilder();
			for (Line line : this.items) {
				items.append(items.isEmpty() ? "" : ",")
					.append("{\"sku\":\"%s\",\"quantity\":%d,\"unitPrice\":%s}".formatted(line.sku(), line.quantity(),
							line.unitPrice().toPlainString()));
			}
			return "{\"purchaseId\":\"%s\",\"customerId\":\"%s\",\"items\":[%s],\"total\":%s,\"currency\":\"%s\",\"occurredAt\":\"%s\"}"
				.formatted(this.purchaseId, this.customerId, items, total().toPlainString(), this.currency,
						this.occurredAt);
		}

	}

	public record Line(String sku, int quantity, BigDecimal unitPrice) {

		public static Line of(String sku, int quantity, String unitPrice) {
			return new Line(sku, quantity, new BigDecimal(unitPrice));
		}

	}

	public void publish(Purchase purchase) {
		String json = purchase.json();
		if (!SCHEMA.violations(JSON.readTree(json)).isEmpty()) {
			throw new IllegalArgumentException("Not an event of the contract: " + SCHEMA.violations(JSON.readTree(json)));
		}
		send(new ProducerRecord<>(TOPIC, null, purchase.occurredAt().toEpochMilli(), bytes(purchase.customerId()),
				bytes(json), headersOf(purchase)));
	}

	/** Sends any record to the topic, valid or not. */
	public void send(ProducerRecord<byte[], byte[]> record) {
		try {
			this.kafka.send(record).get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not send " + record, ex);
		}
	}

	public static RecordHeaders headersOf(Purchase purchase) {
		RecordHeaders headers = new RecordHeaders();
		header(headers, "ce_specversion", "1.0");
		header(headers, "ce_id", purchase.eventId().toString());
		header(headers, "ce_source", "/purchase-publisher");
		header(headers, "ce_type", "com.example.purchase.completed.v1");
		header(headers, "ce_time", purchase.occurredAt().toString());
		header(headers, "ce_subject", purchase.purchaseId().toString());
		header(headers, "content-type", "application/json");
		header(headers, "traceparent", purchase.traceparent());
		return headers;
	}

	public static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static void header(RecordHeaders headers, String name, String value) {
		headers.add(name, bytes(value));
	}

}
