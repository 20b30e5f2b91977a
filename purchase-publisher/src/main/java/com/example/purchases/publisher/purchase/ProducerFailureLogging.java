package com.example.purchases.publisher.purchase;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.ProducerListener;

/**
 * Replaces Spring Boot's {@code LoggingProducerListener}, which logs every failed record at ERROR
 * with its stack trace, on the producer's network thread: during an outage that is a stack
 * trace per purchase, written by the thread that should be sending the next records.
 * Failures are counted instead ({@code purchases.publish.failures}) and logged at DEBUG by
 * {@link PurchaseService}; the Kafka client still logs the state of its connections.
 */
@Configuration(proxyBeanMethods = false)
class ProducerFailureLogging {

	@Bean
	ProducerListener<Object, Object> kafkaProducerListener() {
		return new ProducerListener<>() {
		};
	}

}
