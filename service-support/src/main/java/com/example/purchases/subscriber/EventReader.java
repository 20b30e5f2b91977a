package com.example.purchases.subscriber;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.messaging.CloudEvent;
import com.example.purchases.messaging.CloudEvent.InvalidCloudEventException;
import com.example.purchases.messaging.EventSchema;
import com.example.purchases.messaging.RecordSpans;

/**
 * Reads an event of the contract from a record whose value is raw bytes, the way a tolerant
 * reader should: properties the subscriber does not know are ignored, decimals stay exact, and
 * a record that cannot be an event of the contract, or cannot be bound to the subscriber's
 * record, is refused with a one-line reason ({@link PoisonRecordException}).
 * <p>
 * Values are consumed as bytes, not deserialized by the consumer, so that a refused record can
 * be dead-lettered byte for byte.
 *
 * @param <T> the subscriber's own type of the event
 */
final class EventReader<T> {

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		// A property named twice is ambiguous: which one did the producer mean?
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		// 19.90 stays 19.90: the schema's multipleOf and the readers see the amount as written.
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	private final EventSchema schema;

	private final Class<T> type;

	private final String ceType;

	/**
	 * @param schema the contract's schema of the event
	 * @param type the subscriber's record of the event
	 * @param ceType the {@code ce_type} this reader understands; a record of another type is
	 * refused, a record without {@code ce_type} is read
	 */
	EventReader(EventSchema schema, Class<T> type, String ceType) {
		this.schema = schema;
		this.type = type;
		this.ceType = ceType;
	}

	/**
	 * @param record a record of the event's topic
	 * @return the event
	 * @throws PoisonRecordException if the record cannot be an event of the contract
	 */
	IncomingEvent<T> read(ConsumerRecord<?, byte[]> record) {
		try {
			return readOrRefuse(record);
		}
		catch (PoisonRecordException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// Reading touches nothing but the record: whatever fails here, the record made it fail
			// (a number too large for the schema validator's own arithmetic, say).
			throw new PoisonRecordException("value cannot be read: " + ex);
		}
	}

	private IncomingEvent<T> readOrRefuse(ConsumerRecord<?, byte[]> record) {
		CloudEvent envelope;
		try {
			envelope = CloudEvent.readFrom(record.headers());
		}
		catch (InvalidCloudEventException ex) {
			throw new PoisonRecordException(ex.getMessage());
		}
		if (envelope.type() != null && !envelope.type().equals(this.ceType)) {
			throw new PoisonRecordException("unsupported ce_type '" + envelope.type() + "', expected " + this.ceType);
		}
		if (record.value() == null) {
			throw new PoisonRecordException("record has no value");
		}
		JsonNode json;
		try {
			json = JSON.readTree(record.value());
		}
		catch (JacksonException ex) {
			throw new PoisonRecordException("value is not JSON: " + ex.getOriginalMessage());
		}
		List<String> violations = this.schema.violations(json);
		if (!violations.isEmpty()) {
			throw new PoisonRecordException("value violates " + this.schema + " (" + violations.size() + "): "
					+ String.join("; ", violations));
		}
		T event;
		try {
			event = JSON.treeToValue(json, this.type);
		}
		catch (JacksonException ex) {
			// Valid against the schema, and still not what this subscriber can hold.
			throw new PoisonRecordException("value cannot be read as " + this.type.getSimpleName() + ": "
					+ ex.getOriginalMessage() + " at " + ex.getPathReference());
		}
		return new IncomingEvent<>(envelope, event, record.topic(), record.partition(), record.offset(),
				CloudEvent.text(record.headers(), RecordSpans.TRACEPARENT));
	}

}
