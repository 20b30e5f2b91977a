package com.example.purchases.subscriber;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import com.example.purchases.messaging.EventSchema;
import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reading records against the contract, as every subscriber does: what is read, and the reason
 * given for each kind of record that cannot be an event of the contract.
 */
class EventReaderTests {

	private final EventReader<Bought> reader = new EventReader<>(
			EventSchema.load("purchase-completed.v1.schema.json"), Bought.class, "com.example.purchase.completed.v1");

	private final Purchase purchase = Purchase.of("c-1", "BRL", Line.of("SKU-1", 2, "19.90"));

	@Test
	void readsTheEventAndItsEnvelopeIgnoringWhatItDoesNotNeed() {
		IncomingEvent<Bought> incoming = this.reader.read(record(this.purchase.json()));
		assertThat(incoming.event().purchaseId()).isEqualTo(this.purchase.purchaseId());
		assertThat(incoming.event().items()).singleElement()
			.satisfies((line) -> assertThat(line.unitPrice()).isEqualTo(new BigDecimal("19.90")));
		assertThat(incoming.eventId()).isEqualTo(this.purchase.eventId().toString());
		assertThat(incoming.traceId()).isEqualTo(this.purchase.traceId());
		assertThat(incoming.partition()).isEqualTo(3);
	}

	@Test
	void refusesWhatIsNotJson() {
		assertRefused(record("{\"purchaseId\": "), "value is not JSON");
		assertRefused(record(new byte[] { (byte) 0xc3, (byte) 0x28, 0x00 }), "value is not JSON");
		assertRefused(record("[".repeat(5000) + "]".repeat(5000)), "value is not JSON");
	}

	@Test
	void refusesAPropertyNamedTwice() {
		String twice = this.purchase.json().replaceFirst("\\{", "{\"currency\":\"USD\",");
		assertRefused(record(twice), "value is not JSON: Duplicate");
	}

	@Test
	void refusesWhatTheSchemaRefusesListingEachViolation() {
		String json = this.purchase.json().replace("\"quantity\":2", "\"quantity\":0").replace("\"BRL\"", "\"brl\"");
		assertRefused(record(json), "value violates purchase-completed.v1.schema.json (2)");
	}

	@Test
	void refusesANumberTheSchemaValidatorItselfCannotHandle() {
		String json = this.purchase.json().replace("\"quantity\":2", "\"quantity\":1e400");
		assertRefused(record(json), "value cannot be read");
	}

	@Test
	void refusesDatesFinerThanTheContractOrNotInUtc() {
		for (String occurredAt : List.of("2026-11-26T21:58:36.1234567891Z", "2026-11-26T21:58:36+01:00")) {
			String json = this.purchase.json().replace(this.purchase.occurredAt().toString(), occurredAt);
			assertRefused(record(json), "value violates purchase-completed.v1.schema.json");
		}
	}

	@Test
	void refusesWhatTheSchemaAllowsAndTheSubscribersRecordCannotHold() {
		EventReader<Narrow> narrow = new EventReader<>(EventSchema.load("purchase-completed.v1.schema.json"),
				Narrow.class, "com.example.purchase.completed.v1");
		assertThatExceptionOfType(PoisonRecordException.class)
			.isThrownBy(() -> narrow.read(record(this.purchase.json())))
			.withMessageStartingWith("value cannot be read as Narrow");
	}

	@Test
	void refusesAnotherEventTypeAndRecordsWithoutValueOrId() {
		ConsumerRecord<byte[], byte[]> cancelled = record(this.purchase.json());
		cancelled.headers().remove("ce_type");
		cancelled.headers().add("ce_type", bytes("com.example.purchase.cancelled.v1"));
		assertRefused(cancelled, "unsupported ce_type 'com.example.purchase.cancelled.v1'");
		assertRefused(record((byte[]) null), "record has no value");
		ConsumerRecord<byte[], byte[]> anonymous = record(this.purchase.json());
		anonymous.headers().remove("ce_id");
		assertRefused(anonymous, "record has no ce_id header");
	}

	private void assertRefused(ConsumerRecord<byte[], byte[]> record, String reason) {
		assertThatExceptionOfType(PoisonRecordException.class).isThrownBy(() -> this.reader.read(record))
			.withMessageStartingWith(reason)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n").hasSizeLessThanOrEqualTo(300));
	}

	private ConsumerRecord<byte[], byte[]> record(String value) {
		return record(bytes(value));
	}

	private ConsumerRecord<byte[], byte[]> record(byte[] value) {
		RecordHeaders headers = PublishedPurchases.headersOf(this.purchase);
		return new ConsumerRecord<>("purchases.completed", 3, 42, Instant.now().toEpochMilli(),
				TimestampType.CREATE_TIME, 0, 0, bytes("c-1"), value, headers, java.util.Optional.empty());
	}

	private static byte[] bytes(String text) {
		return (text != null) ? text.getBytes(StandardCharsets.UTF_8) : null;
	}

	record Bought(UUID purchaseId, List<Item> items) {

		record Item(String sku, int quantity, BigDecimal unitPrice) {
		}

	}

	/** A record whose types do not fit what the contract allows: a customer id is text. */
	record Narrow(UUID purchaseId, int customerId) {
	}

}
