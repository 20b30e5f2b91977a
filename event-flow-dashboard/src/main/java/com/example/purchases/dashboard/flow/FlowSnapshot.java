package com.example.purchases.dashboard.flow;

import java.time.Instant;
import java.util.List;

/**
 * The event flow at one moment, as {@code GET /api/flow} shows it.
 *
 * @param sampledAt when Kafka was read
 * @param problem why the sample is incomplete (the broker unreachable), or {@code null}
 * @param topic the topic watched
 * @param published how many events were published to it, and how fast
 * @param groups every consumer group reading it
 * @param deadLetters the dead-letter topics and how many records each holds
 * @param replenishments the latest replenishment orders announced, newest first
 */
record FlowSnapshot(Instant sampledAt, String problem, String topic, Published published, List<Group> groups,
		List<DeadLetterTopic> deadLetters, List<Replenishment> replenishments) {

	static FlowSnapshot empty(String topic, String problem) {
		return new FlowSnapshot(Instant.now(), problem, topic, new Published(0, 0, List.of()), List.of(), List.of(),
				List.of());
	}

	/**
	 * @param total records in the topic since it was created
	 * @param perSecond records per second, over the rate window
	 * @param history the rate of the last samples, oldest first
	 */
	record Published(long total, double perSecond, List<Rate> history) {
	}

	record Rate(Instant at, double perSecond) {
	}

	/**
	 * @param group the consumer group
	 * @param state its state, as the coordinator reports it
	 * @param members its members and the partitions each holds
	 * @param partitions every partition of the topic, with the group's lag on it
	 * @param lag the group's total lag
	 */
	record Group(String group, String state, List<Member> members, List<PartitionLag> partitions, long lag) {
	}

	record Member(String memberId, String clientId, String host, List<Integer> partitions) {
	}

	/**
	 * @param committed the group's committed offset, or {@code null} before its first commit
	 * @param memberId the member that holds the partition, or {@code null}
	 */
	record PartitionLag(int partition, Long committed, long end, long lag, String memberId) {
	}

	record DeadLetterTopic(String topic, long records) {
	}

	record Replenishment(String replenishmentId, String sku, long quantity, long onHand, Instant requestedAt) {
	}

}
