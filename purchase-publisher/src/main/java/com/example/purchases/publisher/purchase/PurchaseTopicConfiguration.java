package com.example.purchases.publisher.purchase;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Declares the topic with the contract's partition count, so that it never comes from a
 * broker's auto-creation defaults.
 */
@Configuration(proxyBeanMethods = false)
class PurchaseTopicConfiguration {

	@Bean
	NewTopic purchasesCompletedTopic(PublisherProperties properties) {
		PublisherProperties.Topic topic = properties.topic();
		TopicBuilder builder = TopicBuilder.name(topic.name())
			.partitions(topic.partitions())
			.replicas(topic.replicationFactor());
		if (topic.minInsyncReplicas() > 0) {
			builder.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(topic.minInsyncReplicas()));
		}
		return builder.build();
	}

}
