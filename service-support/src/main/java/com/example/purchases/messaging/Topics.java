package com.example.purchases.messaging;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.kafka.config.TopicBuilder;

/**
 * Topic declarations, so that a topic's partition count never comes from a broker's
 * auto-creation defaults, whichever service starts first.
 * <p>
 * The partition count is the contract's; replication is the cluster's business: a declared
 * topic takes the broker's {@code default.replication.factor} and {@code min.insync.replicas}
 * (1 on the single local broker, 3 and 2 in {@code docker-compose.cluster.yml}).
 */
public final class Topics {

	private Topics() {
	}

	/**
	 * @param name a topic of the contract
	 * @return its declaration, for a {@code NewTopic} bean
	 */
	public static NewTopic declare(String name) {
		return declare(name, EventContract.partitionsOf(name));
	}

	/**
	 * @param name the topic
	 * @param partitions its partitions
	 * @return the declaration, for a {@code NewTopic} bean
	 */
	public static NewTopic declare(String name, int partitions) {
		return TopicBuilder.name(name).partitions(partitions).build();
	}

}
