package com.example.purchases.stock.inventory;

import org.apache.kafka.clients.admin.NewTopic;

import com.example.purchases.messaging.Topics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the topic of the events this service publishes, with the contract's partitions.
 */
@Configuration(proxyBeanMethods = false)
class ReplenishmentTopicConfiguration {

	@Bean
	NewTopic stockReplenishmentRequestedTopic(InventoryProperties properties) {
		return Topics.declare(properties.replenishmentTopic());
	}

}
