package com.example.purchases.publisher.purchase;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.messaging.CloudEvent;
import com.example.purchases.messaging.RecordSpans;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Service;

/**
 * Turns a valid request into a {@link PurchaseCompleted} event and publishes it: key
 * {@code customerId}, CloudEvents headers, and an answer only once the broker has
 * acknowledged the record ({@code acks=all}).
 */
@Service
class PurchaseService {

	static final URI SOURCE = URI.create("/purchase-publisher");

	private static final Logger logger = LoggerFactory.getLogger(PurchaseService.class);

	private final KafkaTemplate<String, PurchaseCompleted> kafka;

	private final PublisherProperties properties;

	private final RecordSpans spans;

	private final Clock clock;

	private final Counter published;

	private final Counter timedOut;

	private final Counter refused;

	private final Counter shed;

	private final Semaphore inFlight;

	PurchaseService(KafkaTemplate<String, PurchaseCompleted> kafka, PublisherProperties properties, RecordSpans spans,
			MeterRegistry meters) {
		this.kafka = kafka;
		this.properties = properties;
		this.spans = spans;
		this.clock = Clock.systemUTC();
		this.published = Counter.builder("purchases.published")
			.description("PurchaseCompleted events acknowledged by the broker")
			.register(meters);
		this.timedOut = failures(meters, "timeout");
		this.refused = failures(meters, "broker");
		this.shed = failures(meters, "backpressure");
		this.inFlight = new Semaphore(properties.publish().maxInFlight());
	}

	private static Counter failures(MeterRegistry meters, String reason) {
		return Counter.builder("purchases.publish.failures")
			.description("Purchases answered 503 because the broker did not acknowledge their event")
			.tag("reason", reason)
			.register(meters);
	}

	/**
	 * Publishes the purchase.
	 * @param request a validated request
	 * @param idempotencyKey the client's key, or {@code null}
	 * @return the purchase, once the broker has acknowledged its event
	 * @throws PublishFailedException when the broker did not acknowledge it in time, or refused it
	 */
	PurchaseAccepted place(PlacePurchaseRequest request, String idempotencyKey) {
		PurchaseIds ids = (idempotencyKey != null) ? PurchaseIds.forRetries(request.customerId(), idempotencyKey)
				: PurchaseIds.random();
		PurchaseCompleted event = completed(request, ids, Instant.now(this.clock).truncatedTo(ChronoUnit.MILLIS));
		RecordHeaders headers = new RecordHeaders();
		new CloudEvent(ids.eventId().toString(), SOURCE, PurchaseCompleted.TYPE, event.occurredAt(),
				ids.purchaseId().toString())
			.writeTo(headers);
		// The subscribers go on in the trace of this request.
		String traceparent = this.spans.currentTraceparent();
		if (traceparent != null) {
			headers.add(RecordSpans.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
		}
		// The record timestamp is the time of the fact, so time-based retention and lookups follow it.
		ProducerRecord<String, PurchaseCompleted> record = new ProducerRecord<>(this.properties.topic().name(), null,
				event.occurredAt().toEpochMilli(), event.customerId(), event, headers);

		// The request thread waits for the broker's acknowledgement, at most purchases.publish.timeout,
		// and at most max-in-flight requests wait at once: a broker outage cannot hold every
		// request thread, and a 503 comes from the thread that waited, on time.
		if (!this.inFlight.tryAcquire()) {
			throw failed(ids, new RejectedExecutionException(
					this.properties.publish().maxInFlight() + " requests are already waiting for the broker"));
		}
		try {
			long deadline = System.nanoTime() + this.properties.publish().timeout().toNanos();
			// send() itself waits (up to max.block.ms) while the producer has no metadata for the topic.
			SendResult<String, PurchaseCompleted> result = this.kafka.send(record)
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			this.published.increment();
			logger.debug("Published purchase {} (event {}) to {}-{}@{}", ids.purchaseId(), ids.eventId(),
					result.getRecordMetadata().topic(), result.getRecordMetadata().partition(),
					result.getRecordMetadata().offset());
			return new PurchaseAccepted(ids.purchaseId(), ids.eventId(), event.occurredAt(), event.total());
		}
		catch (ExecutionException ex) {
			throw failed(ids, ex.getCause());
		}
		catch (TimeoutException | KafkaException ex) {
			// The producer throws instead of failing the future when it cannot even get the
			// topic's metadata within max.block.ms.
			throw failed(ids, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failed(ids, ex);
		}
		finally {
			this.inFlight.release();
		}
	}

	private PublishFailedException failed(PurchaseIds ids, Throwable failure) {
		Throwable cause = failure;
		if (cause instanceof RejectedExecutionException) {
			this.shed.increment();
		}
		else if (cause instanceof TimeoutException || NestedExceptionUtils
			.getMostSpecificCause(cause) instanceof org.apache.kafka.common.errors.TimeoutException) {
			this.timedOut.increment();
		}
		else {
			this.refused.increment();
		}
		// DEBUG: this may run on the producer's network thread, once per record of an outage.
		logger.debug("Purchase {} (event {}) not acknowledged by the broker: {}", ids.purchaseId(), ids.eventId(),
				cause.toString());
		return new PublishFailedException(this.properties.publish().retryAfter(), cause);
	}

	private static PurchaseCompleted completed(PlacePurchaseRequest request, PurchaseIds ids, Instant occurredAt) {
		int scale = Currencies.minorUnit(request.currency()).orElseThrow();
		List<PurchaseCompleted.Line> lines = request.items()
			.stream()
			// Exact: validation has already refused prices with more decimals than the scale.
			.map((item) -> new PurchaseCompleted.Line(item.sku(), item.quantity(), item.unitPrice().setScale(scale)))
			.toList();
		BigDecimal total = lines.stream()
			.map((line) -> line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())))
			.reduce(BigDecimal.ZERO, BigDecimal::add)
			.setScale(scale);
		return new PurchaseCompleted(ids.purchaseId(), request.customerId(), lines, total, request.currency(),
				occurredAt);
	}

}
