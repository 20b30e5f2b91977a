package com.example.purchases.messaging;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error policy of the consumer groups: nothing is lost, nothing is skipped.
 * <ul>
 * <li>A poison record ({@link PoisonRecordException}) goes to the group's dead-letter topic at
 * once, without retries, and the records after it are processed.
 * <li>Any other failure is taken as transient (the database is unavailable, say) and the batch
 * is retried with exponential back-off for as long as it takes: never dead-lettered, never
 * skipped. Each failed attempt is logged.
 * </ul>
 */
public final class ConsumerErrorHandlers {

	private static final Logger logger = LoggerFactory.getLogger(ConsumerErrorHandlers.class);

	private ConsumerErrorHandlers() {
	}

	/**
	 * @param template writes dead letters ({@code byte[]} keys and values)
	 * @param group the consumer group
	 * @param initialInterval the first wait before a retry
	 * @param maxInterval the longest wait between retries; keep it well under
	 * {@code max.poll.interval.ms}
	 * @param meters where {@code consumer.dead-lettered} and {@code consumer.retries} (tagged
	 * with the group) are counted
	 * @param spans logs about a record in its trace
	 * @return the error handler for the group's listener container
	 */
	public static DefaultErrorHandler forGroup(KafkaOperations<?, ?> template, String group, Duration initialInterval,
			Duration maxInterval, MeterRegistry meters, RecordSpans spans) {
		DeadLetterPublishingRecoverer deadLetters = DeadLetters.recoverer(template, group);
		Counter deadLettered = Counter.builder("consumer.dead-lettered")
			.description("Records sent to the consumer group's dead-letter topic")
			.tag("group", group)
			.register(meters);
		Counter retries = Counter.builder("consumer.retries")
			.description("Failed attempts to process a batch that will be retried (transient failures)")
			.tag("group", group)
			.register(meters);
		ConsumerAwareRecordRecoverer recoverer = (record, consumer, ex) -> {
			deadLetters.accept(record, consumer, ex);
			deadLettered.increment();
			spans.inTrace(CloudEvent.text(record.headers(), RecordSpans.TRACEPARENT), group + " dead-letter",
					() -> logger.warn("Dead-lettered {}-{}@{} to {}: {}", record.topic(), record.partition(),
							record.offset(), DeadLetters.topicOf(record.topic(), group), DeadLetters.reason(ex)));
		};
		ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), 2.0);
		backOff.setMaxInterval(maxInterval.toMillis());
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
		handler.addNotRetryableExceptions(PoisonRecordException.class);
		// The records after a poison one are handed to the listener again as they are, rather
		// than sought back to and polled again.
		handler.setSeekAfterError(false);
		handler.setRetryListeners(new LoggingRetryListener(group, retries));
		return handler;
	}

	private record LoggingRetryListener(String group, Counter retries) implements RetryListener {

		@Override
		public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
			if (!isPoison(ex)) {
				this.retries.increment();
				logger.warn("{}: {}-{}@{} failed (attempt {}), will retry: {}", this.group, record.topic(),
						record.partition(), record.offset(), deliveryAttempt, DeadLetters.reason(ex));
			}
		}

		@Override
		public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
			if (isPoison(ex)) {
				return; // dead-lettered, not retried
			}
			this.retries.increment();
			logger.warn("{}: batch of {} records failed (attempt {}), will retry: {}", this.group, records.count(),
					deliveryAttempt, DeadLetters.reason(ex));
		}

		private static boolean isPoison(Throwable ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof PoisonRecordException) {
					return true;
				}
			}
			return false;
		}

	}

}
