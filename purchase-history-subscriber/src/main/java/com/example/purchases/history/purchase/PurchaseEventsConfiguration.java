package com.example.purchases.history.purchase;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;

import com.example.purchases.messaging.ConsumerErrorHandlers;
import com.example.purchases.messaging.ConsumerGroupLag;
import com.example.purchases.messaging.DeadLetterEndpoint;
import com.example.purchases.messaging.DeadLetterReplay;
import com.example.purchases.messaging.DeadLetters;
import com.example.purchases.messaging.EventReader;
import com.example.purchases.messaging.EventSchema;
import com.example.purchases.messaging.RecordSpans;
import com.example.purchases.messaging.Topics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The Kafka side of consuming purchases: topics, how a record becomes an event, and what
 * happens when it cannot be applied. Everything else is in {@code spring.kafka.*}.
 */
@Configuration(proxyBeanMethods = false)
class PurchaseEventsConfiguration {

	@Bean
	NewTopic purchasesCompletedTopic(PurchasesTopicProperties topic) {
		return Topics.declare(topic.name(), topic.partitions(), topic.replicationFactor(), topic.minInsyncReplicas());
	}

	@Bean
	NewTopic purchaseHistoryDeadLetterTopic(PurchasesTopicProperties topic) {
		// As many partitions as the source: a dead letter keeps its partition number.
		return Topics.declare(DeadLetters.topicOf(topic.name(), PurchaseCompletedListener.GROUP), topic.partitions(),
				topic.replicationFactor(), topic.minInsyncReplicas());
	}

	@Bean
	EventReader<PurchaseCompleted> purchaseCompletedReader() {
		return new EventReader<>(EventSchema.load(PurchaseCompleted.SCHEMA), PurchaseCompleted.class,
				PurchaseCompleted.TYPE);
	}

	/**
	 * Poison records go to this group's dead-letter topic at once; any other failure is
	 * transient (the database is unavailable) and is retried with exponential back-off until
	 * it succeeds: never skipped, never dead-lettered.
	 */
	/**
	 * Poison records go to this group's dead-letter topic at once; any other failure is
	 * transient (the database is unavailable) and is retried until it succeeds.
	 */
	@Bean
	DefaultErrorHandler purchaseHistoryErrorHandler(KafkaTemplate<byte[], byte[]> template,
			HistoryProperties properties, MeterRegistry meters, RecordSpans spans) {
		return ConsumerErrorHandlers.forGroup(template, PurchaseCompletedListener.GROUP,
				properties.retry().initialInterval(), properties.retry().maxInterval(), meters, spans);
	}

	@Bean
	ConsumerGroupLag purchaseHistoryLag(KafkaAdmin kafkaAdmin, PurchasesTopicProperties topic) {
		return new ConsumerGroupLag(kafkaAdmin, PurchaseCompletedListener.GROUP, topic.name(), Duration.ofSeconds(5));
	}

	@Bean
	DeadLetterReplay<PurchaseCompleted> purchaseHistoryDeadLetterReplay(ConsumerFactory<byte[], byte[]> consumers,
			KafkaTemplate<byte[], byte[]> template, PurchasesTopicProperties topic,
			EventReader<PurchaseCompleted> reader, PurchaseHistory history) {
		return new DeadLetterReplay<>(consumers, template, topic.name(), PurchaseCompletedListener.GROUP, reader,
				history::record);
	}

	@Bean
	DeadLetterEndpoint deadLetterEndpoint(DeadLetterReplay<PurchaseCompleted> replay) {
		return new DeadLetterEndpoint(replay);
	}

}
