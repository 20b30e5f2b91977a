package com.example.purchases.subscriber;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Watches the consumer group from the broker's side, in the background:
 * <ul>
 * <li>{@code consumer.group.lag{group, topic, partition}}: how many records of each partition
 * the group has not committed yet (end offset minus committed offset), whichever replica holds
 * the partition;
 * <li>whether this replica is stalled: records wait on the partitions it holds, and it has
 * applied none for {@code subscriber.stall-timeout}. A stalled replica is not ready (its
 * health says why), {@code consumer.stalled{group}} is 1 while it lasts and
 * {@code consumer.stalls{group}} counts each time it happens. Retries of a failing
 * infrastructure stall a replica too, on purpose: its readiness tells the truth.
 * </ul>
 */
final class ConsumerGroupMonitor implements MeterBinder, HealthIndicator, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ConsumerGroupMonitor.class);

	private final Map<String, Object> adminConfig;

	private final String group;

	private final String topic;

	private final Duration interval;

	private final Duration stallTimeout;

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "consumer-group-monitor");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean stalled = new AtomicBoolean();

	private volatile long progressedAt = System.nanoTime();

	private volatile Map<TopicPartition, Long> lag = Map.of();

	private volatile String lagError = "not read yet";

	private volatile MessageListenerContainer container;

	private Admin admin;

	private MultiGauge lagGauge;

	private Counter stalls;

	/**
	 * @param kafkaAdmin where the brokers are
	 * @param group the consumer group
	 * @param topic the topic it reads
	 * @param interval how often the lag is read from the broker
	 * @param stallTimeout how long records may wait on this replica's partitions without any
	 * being applied
	 */
	ConsumerGroupMonitor(KafkaAdmin kafkaAdmin, String group, String topic, Duration interval, Duration stallTimeout) {
		Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
		config.put(AdminClientConfig.CLIENT_ID_CONFIG, "monitor-" + group);
		this.adminConfig = config;
		this.group = group;
		this.topic = topic;
		this.interval = interval;
		this.stallTimeout = stallTimeout;
	}

	/** The listener container of this replica, whose partitions are watched. */
	void watch(MessageListenerContainer container) {
		this.container = container;
	}

	/** This replica has applied (or dead-lettered) a poll of records. */
	void progressed() {
		this.progressedAt = System.nanoTime();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.lagGauge = MultiGauge.builder("consumer.group.lag")
			.description("Records of the partition not yet committed by the consumer group")
			.baseUnit("records")
			.register(registry);
		this.stalls = Counter.builder("consumer.stalls")
			.description("Times this replica stalled: records waited on its partitions and none was applied")
			.tag("group", this.group)
			.register(registry);
		Gauge.builder("consumer.stalled", this.stalled, (state) -> state.get() ? 1 : 0)
			.description("1 while this replica is stalled")
			.tag("group", this.group)
			.register(registry);
		this.executor.scheduleWithFixedDelay(this::refresh, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public Health health() {
		MessageListenerContainer container = this.container;
		if (container == null || !container.isRunning()) {
			return Health.down().withDetail("group", this.group).withDetail("reason", "the listener is not running")
				.build();
		}
		Map<Integer, Long> mine = waitingOnMyPartitions(container);
		Duration quiet = Duration.ofNanos(System.nanoTime() - this.progressedAt);
		Health.Builder health = this.stalled.get() ? Health.down()
			.withDetail("reason", "%d records wait on its partitions and none was applied for %d s".formatted(
					mine.values().stream().mapToLong(Long::longValue).sum(), quiet.toSeconds()))
				: Health.up();
		health.withDetail("group", this.group).withDetail("partitions", mine.keySet());
		if (this.lagError != null) {
			health.withDetail("lag", "unknown: " + this.lagError);
		}
		else {
			health.withDetail("lag", mine);
		}
		return health.build();
	}

	private Map<Integer, Long> waitingOnMyPartitions(MessageListenerContainer container) {
		Map<Integer, Long> waiting = new TreeMap<>();
		Collection<TopicPartition> assigned = container.getAssignedPartitions();
		if (assigned != null) {
			Map<TopicPartition, Long> lag = this.lag;
			assigned.forEach((partition) -> waiting.put(partition.partition(), lag.getOrDefault(partition, 0L)));
		}
		return waiting;
	}

	private void refresh() {
		try {
			this.lag = readLag();
			this.lagError = null;
			publish(this.lag);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			this.lagError = ex.getClass().getSimpleName();
			logger.debug("Could not read the lag of {} on {}: {}", this.group, this.topic, ex.toString());
		}
		judgeStall();
	}

	private void judgeStall() {
		MessageListenerContainer container = this.container;
		long waiting = (container != null)
				? waitingOnMyPartitions(container).values().stream().mapToLong(Long::longValue).sum() : 0;
		Duration quiet = Duration.ofNanos(System.nanoTime() - this.progressedAt);
		boolean stalledNow = waiting > 0 && quiet.compareTo(this.stallTimeout) > 0;
		if (stalledNow && this.stalled.compareAndSet(false, true)) {
			this.stalls.increment();
			logger.error("{} stalled: {} records wait on its partitions and none was applied for {} s", this.group,
					waiting, quiet.toSeconds());
		}
		else if (!stalledNow && this.stalled.compareAndSet(true, false)) {
			logger.info("{} is applying records again", this.group);
		}
	}

	private Map<TopicPartition, Long> readLag() throws Exception {
		if (this.admin == null) {
			this.admin = Admin.create(this.adminConfig);
		}
		long timeout = this.interval.toMillis();
		List<TopicPartition> partitions = this.admin.describeTopics(List.of(this.topic))
			.allTopicNames()
			.get(timeout, TimeUnit.MILLISECONDS)
			.get(this.topic)
			.partitions()
			.stream()
			.map((info) -> new TopicPartition(this.topic, info.partition()))
			.toList();
		Map<TopicPartition, OffsetAndMetadata> committed = this.admin.listConsumerGroupOffsets(this.group)
			.partitionsToOffsetAndMetadata()
			.get(timeout, TimeUnit.MILLISECONDS);
		Map<TopicPartition, ListOffsetsResultInfo> end = offsets(partitions, OffsetSpec.latest(), timeout);
		Map<TopicPartition, ListOffsetsResultInfo> start = offsets(partitions, OffsetSpec.earliest(), timeout);
		Map<TopicPartition, Long> lag = new HashMap<>();
		for (TopicPartition partition : partitions) {
			OffsetAndMetadata offset = committed.get(partition);
			long from = (offset != null) ? offset.offset() : start.get(partition).offset();
			lag.put(partition, Math.max(0, end.get(partition).offset() - from));
		}
		return lag;
	}

	private void publish(Map<TopicPartition, Long> lag) {
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		lag.forEach((partition, records) -> rows.add(MultiGauge.Row.of(Tags.of("group", this.group, "topic",
				this.topic, "partition", Integer.toString(partition.partition())), records)));
		this.lagGauge.register(rows, true);
	}

	private Map<TopicPartition, ListOffsetsResultInfo> offsets(List<TopicPartition> partitions, OffsetSpec spec,
			long timeout) throws Exception {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach((partition) -> request.put(partition, spec));
		return this.admin.listOffsets(request).all().get(timeout, TimeUnit.MILLISECONDS);
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
		if (this.admin != null) {
			this.admin.close(Duration.ofSeconds(1));
		}
	}

}
