package com.example.purchases.messaging;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import org.springframework.kafka.config.TopicBuilder;

/**
 * Topic declarations, so that a topic's partition count never comes from a broker's
 * auto-creation defaults, whichever service starts first.
 */
public final class Topics {

	private Topics() {
	}

	/**
	 * @param name the topic
	 * @param partitions its partitions
	 * @param replicationFactor copies of each partition
	 * @param minInsyncReplicas {@code min.insync.replicas}, or 0 for the broker's default
	 * @return the declaration, for a {@code NewTopic} bean
	 */
	public static NewTopic declare(String name, int partitions, short replicationFactor, int minInsyncReplicas) {
		TopicBuilder builder = TopicBuilder.name(name).partitions(partitions).replicas(replicationFactor);
		if (minInsyncReplicas > 0) {
			builder.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
		}
		return builder.build();
	}

}
