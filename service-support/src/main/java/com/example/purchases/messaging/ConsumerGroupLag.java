package com.example.purchases.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
import org.springframework.kafka.core.KafkaAdmin;

/**
 * {@code consumer.group.lag{group, topic, partition}}: how many records of each partition the
 * consumer group has not committed yet, as the broker sees it (end offset minus committed
 * offset), whichever replica holds the partition. Refreshed in the background.
 */
public class ConsumerGroupLag implements MeterBinder, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ConsumerGroupLag.class);

	private final Map<String, Object> adminConfig;

	private final String group;

	private final String topic;

	private final Duration interval;

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "consumer-group-lag");
		thread.setDaemon(true);
		return thread;
	});

	private Admin admin;

	private MultiGauge gauge;

	/**
	 * @param kafkaAdmin where the brokers are
	 * @param group the consumer group
	 * @param topic the topic it reads
	 * @param interval how often the lag is read from the broker
	 */
	public ConsumerGroupLag(KafkaAdmin kafkaAdmin, String group, String topic, Duration interval) {
		Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
		config.put(AdminClientConfig.CLIENT_ID_CONFIG, "lag-" + group);
		this.adminConfig = config;
		this.group = group;
		this.topic = topic;
		this.interval = interval;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.gauge = MultiGauge.builder("consumer.group.lag")
			.description("Records of the partition not yet committed by the consumer group")
			.baseUnit("records")
			.register(registry);
		this.executor.scheduleWithFixedDelay(this::refresh, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void refresh() {
		try {
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
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata offset = committed.get(partition);
				long from = (offset != null) ? offset.offset() : start.get(partition).offset();
				long lag = Math.max(0, end.get(partition).offset() - from);
				rows.add(MultiGauge.Row.of(Tags.of("group", this.group, "topic", this.topic, "partition",
						Integer.toString(partition.partition())), lag));
			}
			this.gauge.register(rows, true);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.debug("Could not read the lag of {} on {}: {}", this.group, this.topic, ex.toString());
		}
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
