package com.example.purchases.messaging;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class EventSchemaTests {

	private static final EventSchema schema = EventSchema.load("purchase-completed.v1.schema.json");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void acceptsTheContractExample() {
		assertThat(schema.violations(valid())).isEmpty();
	}

	@Test
	void ignoresPropertiesItDoesNotKnow() {
		ObjectNode event = valid();
		event.put("loyaltyPoints", 12);
		assertThat(schema.violations(event)).isEmpty();
	}

	@Test
	void acceptsAmountsWrittenWithTrailingZeros() {
		ObjectNode event = valid();
		event.set("total", this.json.readTree("1500.0000"));
		assertThat(schema.violations(event)).isEmpty();
	}

	@Test
	void rejectsAmountsFinerThanAnyCurrencyMinorUnit() {
		ObjectNode event = valid();
		event.set("total", this.json.readTree("39.80001"));
		assertThat(schema.violations(event)).singleElement().asString().contains("$.total");
	}

	@Test
	void rejectsMissingRequiredProperties() {
		ObjectNode event = valid();
		event.remove("purchaseId");
		event.remove("occurredAt");
		assertThat(schema.violations(event)).hasSize(2).allSatisfy((violation) -> assertThat(violation).contains("required"));
	}

	@Test
	void rejectsTimestampsThatAreNotUtcRfc3339() {
		ObjectNode event = valid();
		event.put("occurredAt", "26/11/2026 21:58");
		assertThat(schema.violations(event)).isNotEmpty().allSatisfy((violation) -> assertThat(violation).contains("$.occurredAt"));
		event.put("occurredAt", "2026-11-26T21:58:36-03:00");
		assertThat(schema.violations(event)).singleElement().asString().contains("$.occurredAt");
	}

	@Test
	void rejectsAPurchaseIdThatIsNotAUuid() {
		ObjectNode event = valid();
		event.put("purchaseId", "p-1");
		assertThat(schema.violations(event)).singleElement().asString().contains("$.purchaseId");
	}

	@Test
	void rejectsLinesOutsideTheirBounds() {
		ObjectNode event = valid();
		ObjectNode line = (ObjectNode) event.get("items").get(0);
		line.put("quantity", 0);
		line.put("unitPrice", -1);
		line.put("sku", "SKU 1");
		List<String> violations = schema.violations(event);
		assertThat(violations).hasSize(3)
			.anySatisfy((v) -> assertThat(v).contains("$.items[0].quantity"))
			.anySatisfy((v) -> assertThat(v).contains("$.items[0].unitPrice"))
			.anySatisfy((v) -> assertThat(v).contains("$.items[0].sku"));
	}

	private ObjectNode valid() {
		JsonNode node = this.json.readTree("""
				{"purchaseId": "0b9e4c1a-7d2f-5e8b-a3c6-4f1d2e3b5a7c", "customerId": "c-42",
				 "items": [{"sku": "SKU-1", "quantity": 2, "unitPrice": 19.90}],
				 "total": 39.80, "currency": "BRL", "occurredAt": "2026-11-26T21:58:36.123Z"}
				""");
		return (ObjectNode) node;
	}

}
