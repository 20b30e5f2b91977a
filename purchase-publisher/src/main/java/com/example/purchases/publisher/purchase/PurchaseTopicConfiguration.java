package com.example.purchases.publisher.purchase;

import org.apache.kafka.clients.admin.NewTopic;

import com.example.purchases.messaging.Topics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the topic with the contract's partition count, so that it never comes from a
 * broker's auto-creation defaults.
 */
@Configuration(proxyBeanMethods = false)
class PurchaseTopicConfiguration {

	@Bean
	NewTopic purchasesCompletedTopic(PublisherProperties properties) {
		return Topics.declare(properties.topic().name());
	}

}
