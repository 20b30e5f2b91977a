package com.example.purchases.stock.purchase;

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
import com.example.purchases.stock.inventory.InventoryProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The Kafka side of this service: topics, how a record becomes an event, and what happens when
 * it cannot be applied. Everything else is in {@code spring.kafka.*}.
 */
@Configuration(proxyBeanMethods = false)
class PurchaseEventsConfiguration {

	@Bean
	NewTopic purchasesCompletedTopic(PurchasesTopicProperties topic) {
		return Topics.declare(topic.name(), topic.partitions(), topic.replicationFactor(), topic.minInsyncReplicas());
	}

	@Bean
	NewTopic stockReplenishmentDeadLetterTopic(PurchasesTopicProperties topic) {
		// As many partitions as the source: a dead letter keeps its partition number.
		return Topics.declare(DeadLetters.topicOf(topic.name(), PurchaseCompletedListener.GROUP), topic.partitions(),
				topic.replicationFactor(), topic.minInsyncReplicas());
	}

	@Bean
	NewTopic stockReplenishmentRequestedTopic(InventoryProperties properties) {
		InventoryProperties.Topic topic = properties.replenishmentTopic();
		return Topics.declare(topic.name(), topic.partitions(), topic.replicationFactor(), topic.minInsyncReplicas());
	}

	@Bean
	EventReader<PurchaseCompleted> purchaseCompletedReader() {
		return new EventReader<>(EventSchema.load(PurchaseCompleted.SCHEMA), PurchaseCompleted.class,
				PurchaseCompleted.TYPE);
	}

	/**
	 * Poison records go to this group's dead-letter topic at once; any other failure is
	 * transient (the database is unavailable) and is retried until it succeeds.
	 */
	@Bean
	DefaultErrorHandler stockReplenishmentErrorHandler(KafkaTemplate<byte[], byte[]> template,
			RetryProperties retry, MeterRegistry meters, RecordSpans spans) {
		return ConsumerErrorHandlers.forGroup(template, PurchaseCompletedListener.GROUP, retry.initialInterval(),
				retry.maxInterval(), meters, spans);
	}

	@Bean
	ConsumerGroupLag stockReplenishmentLag(KafkaAdmin kafkaAdmin, PurchasesTopicProperties topic) {
		return new ConsumerGroupLag(kafkaAdmin, PurchaseCompletedListener.GROUP, topic.name(), Duration.ofSeconds(5));
	}

	@Bean
	DeadLetterReplay<PurchaseCompleted> stockReplenishmentDeadLetterReplay(ConsumerFactory<byte[], byte[]> consumers,
			KafkaTemplate<byte[], byte[]> template, PurchasesTopicProperties topic,
			EventReader<PurchaseCompleted> reader, PurchaseIntake intake) {
		return new DeadLetterReplay<>(consumers, template, topic.name(), PurchaseCompletedListener.GROUP, reader,
				intake);
	}

	@Bean
	DeadLetterEndpoint deadLetterEndpoint(DeadLetterReplay<PurchaseCompleted> replay) {
		return new DeadLetterEndpoint(replay);
	}

}
