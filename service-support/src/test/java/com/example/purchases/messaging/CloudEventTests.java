package com.example.purchases.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.example.purchases.messaging.CloudEvent.InvalidCloudEventException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CloudEventTests {

	private final CloudEvent event = new CloudEvent("e-1", URI.create("/purchase-publisher"),
			"com.example.purchase.completed.v1", Instant.parse("2026-11-26T21:58:36.123Z"), "p-1");

	@Test
	void writesTheBinaryModeHeadersAsUtf8Text() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		assertThat(text(headers, "ce_specversion")).isEqualTo("1.0");
		assertThat(text(headers, "ce_id")).isEqualTo("e-1");
		assertThat(text(headers, "ce_source")).isEqualTo("/purchase-publisher");
		assertThat(text(headers, "ce_type")).isEqualTo("com.example.purchase.completed.v1");
		assertThat(text(headers, "ce_time")).isEqualTo("2026-11-26T21:58:36.123Z");
		assertThat(text(headers, "ce_subject")).isEqualTo("p-1");
		assertThat(text(headers, "content-type")).isEqualTo("application/json");
		assertThat(headers.toArray()).hasSize(7);
	}

	@Test
	void readsBackWhatItWrote() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		assertThat(CloudEvent.readFrom(headers)).isEqualTo(this.event);
	}

	@Test
	void rejectsARecordWithoutAnId() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		headers.remove("ce_id");
		assertThatExceptionOfType(InvalidCloudEventException.class).isThrownBy(() -> CloudEvent.readFrom(headers))
			.withMessage("record has no ce_id header");
	}

	@Test
	void rejectsAnotherSpecVersion() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		headers.remove("ce_specversion");
		headers.add("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(InvalidCloudEventException.class).isThrownBy(() -> CloudEvent.readFrom(headers))
			.withMessageContaining("0.3");
	}

	@Test
	void rejectsAMalformedTime() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		headers.remove("ce_time");
		headers.add("ce_time", "yesterday".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(InvalidCloudEventException.class).isThrownBy(() -> CloudEvent.readFrom(headers))
			.withMessageContaining("malformed");
	}

	@Test
	void rejectsAnIdLongerThanTheContractAllows() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		headers.remove("ce_id");
		headers.add("ce_id", "e".repeat(256).getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(InvalidCloudEventException.class).isThrownBy(() -> CloudEvent.readFrom(headers))
			.withMessageContaining("1 to 255 printable ASCII characters");
	}

	@Test
	void rejectsAnIdWithControlCharacters() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		headers.remove("ce_id");
		headers.add("ce_id", "e-\u0000-1".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(InvalidCloudEventException.class).isThrownBy(() -> CloudEvent.readFrom(headers))
			.withMessageContaining("printable ASCII");
	}

	@Test
	void rejectsAContentTypeOtherThanJson() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		headers.remove("content-type");
		headers.add("content-type", "application/xml".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(InvalidCloudEventException.class).isThrownBy(() -> CloudEvent.readFrom(headers))
			.withMessageContaining("application/xml");
		headers.remove("content-type");
		headers.add("content-type", "application/json; charset=utf-8".getBytes(StandardCharsets.UTF_8));
		assertThat(CloudEvent.readFrom(headers)).isEqualTo(this.event);
	}

	@Test
	void rejectsATimeFinerThanNanoseconds() {
		Headers headers = new RecordHeaders();
		this.event.writeTo(headers);
		headers.remove("ce_time");
		headers.add("ce_time", "2026-11-26T21:58:36.1234567891Z".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(InvalidCloudEventException.class).isThrownBy(() -> CloudEvent.readFrom(headers));
	}

	private static String text(Headers headers, String name) {
		return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
