package com.example.purchases.dashboard.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.dashboard.flow.FlowSnapshot.DeadLetterTopic;
import com.example.purchases.dashboard.flow.FlowSnapshot.Group;
import com.example.purchases.dashboard.flow.FlowSnapshot.Member;
import com.example.purchases.dashboard.flow.FlowSnapshot.PartitionLag;
import com.example.purchases.dashboard.flow.FlowSnapshot.Published;
import com.example.purchases.dashboard.flow.FlowSnapshot.Rate;
import com.example.purchases.dashboard.flow.FlowSnapshot.Replenishment;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Samples the event flow from Kafka once per refresh interval, on one thread: end offsets of
 * the topic (the publish rate), every consumer group reading it (members, assignments,
 * committed offsets), the dead-letter topics, and the replenishment events published since the
 * last sample. The page reads the latest sample; Kafka sees one client however many browsers
 * watch.
 * <p>
 * Only while a page watches: a stack nobody looks at would otherwise spend several per cent of a
 * core, the broker's included, on samples nobody reads, and most in its first minute, when every
 * JVM is compiling (docs/benchmarks.md). The first request after a pause is answered with a
 * sample taken for it.
 */
@Component
class FlowSampler implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(FlowSampler.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DashboardProperties properties;

	private final Map<String, Object> clientConfig;

	private final Deque<Rate> rates = new ArrayDeque<>();

	private final Deque<Sample> totals = new ArrayDeque<>();

	private final Deque<Replenishment> replenishments = new ArrayDeque<>();

	private volatile FlowSnapshot latest;

	/** When a page last asked (nanoTime), or {@code null} before the first. */
	private volatile Long lastAsked;

	/** Whether sampling paused since the last sample: the chart then starts again. */
	private boolean paused = true;

	/** Whether the replenishment reader starts again from the latest orders. */
	private boolean rewindReplenishments;

	private Admin admin;

	private Consumer<byte[], byte[]> replenishmentReader;

	FlowSampler(KafkaAdmin kafkaAdmin, DashboardProperties properties) {
		this.properties = properties;
		this.clientConfig = new HashMap<>(kafkaAdmin.getConfigurationProperties());
		this.latest = FlowSnapshot.empty(properties.topic(), "not sampled yet");
	}

	/**
	 * The latest sample, for a page: sampling goes on while pages ask.
	 */
	FlowSnapshot latest() {
		boolean wasWatched = watched();
		this.lastAsked = System.nanoTime();
		if (!wasWatched) {
			sample();
		}
		return this.latest;
	}

	/** The latest sample, without counting as a page that watches. */
	FlowSnapshot lastSample() {
		return this.latest;
	}

	@Scheduled(fixedDelayString = "${dashboard.refresh-interval:1s}")
	void sampleWhileWatched() {
		if (watched()) {
			sample();
		}
		else {
			pause();
		}
	}

	private synchronized void pause() {
		this.paused = true;
	}

	private boolean watched() {
		Long asked = this.lastAsked;
		return asked != null && System.nanoTime() - asked < this.properties.idleAfter().toNanos();
	}

	private synchronized void sample() {
		if (this.paused) {
			// The rate goes on from the last total, over the pause. The chart would join points
			// minutes apart, and the list would start with the orders of when the page closed.
			this.rates.clear();
			this.rewindReplenishments = true;
			this.paused = false;
		}
		try {
			this.latest = read();
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			logger.debug("Could not sample the event flow", ex);
			FlowSnapshot previous = this.latest;
			this.latest = new FlowSnapshot(Instant.now(), "Kafka unreachable: " + ex.getClass().getSimpleName(),
					previous.topic(), previous.published(), previous.groups(), previous.deadLetters(),
					previous.replenishments());
		}
	}

	private FlowSnapshot read() throws Exception {
		Admin admin = admin();
		long timeout = Math.max(1000, this.properties.refreshInterval().toMillis() * 3);
		Set<String> topics = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
		if (!topics.contains(this.properties.topic())) {
			return FlowSnapshot.empty(this.properties.topic(), "topic " + this.properties.topic() + " not created yet");
		}
		List<TopicPartition> partitions = partitionsOf(admin, this.properties.topic(), timeout);
		Map<TopicPartition, Long> end = offsets(admin, partitions, OffsetSpec.latest(), timeout);
		Map<TopicPartition, Long> start = offsets(admin, partitions, OffsetSpec.earliest(), timeout);
		long total = end.values().stream().mapToLong(Long::longValue).sum();
		Instant now = Instant.now();
		Published published = published(now, total);
		List<Group> groups = groups(admin, partitions, start, end, timeout);
		List<DeadLetterTopic> deadLetters = deadLetters(admin, topics, timeout);
		if (topics.contains(this.properties.replenishmentTopic())) {
			readReplenishments();
		}
		return new FlowSnapshot(now, null, this.properties.topic(), published, groups, deadLetters,
				List.copyOf(this.replenishments));
	}

	private Published published(Instant now, long total) {
		this.totals.addLast(new Sample(now, total));
		while (this.totals.size() > 2
				&& Duration.between(this.totals.peekFirst().at(), now).compareTo(this.properties.rateWindow()) > 0) {
			this.totals.removeFirst();
		}
		Sample oldest = this.totals.peekFirst();
		double seconds = Duration.between(oldest.at(), now).toMillis() / 1000.0;
		double perSecond = (seconds > 0) ? (total - oldest.total()) / seconds : 0;
		this.rates.addLast(new Rate(now, Math.round(perSecond * 10) / 10.0));
		while (this.rates.size() > this.properties.history()) {
			this.rates.removeFirst();
		}
		return new Published(total, Math.round(perSecond * 10) / 10.0, List.copyOf(this.rates));
	}

	private List<Group> groups(Admin admin, List<TopicPartition> partitions, Map<TopicPartition, Long> start,
			Map<TopicPartition, Long> end, long timeout) throws Exception {
		List<String> ids = admin.listGroups(ListGroupsOptions.forConsumerGroups())
			.all()
			.get(timeout, TimeUnit.MILLISECONDS)
			.stream()
			.map(GroupListing::groupId)
			.sorted()
			.toList();
		if (ids.isEmpty()) {
			return List.of();
		}
		Map<String, ConsumerGroupDescription> descriptions = admin.describeConsumerGroups(ids)
			.all()
			.get(timeout, TimeUnit.MILLISECONDS);
		List<Group> groups = new ArrayList<>();
		for (String id : ids) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(id)
				.partitionsToOffsetAndMetadata()
				.get(timeout, TimeUnit.MILLISECONDS);
			ConsumerGroupDescription description = descriptions.get(id);
			Map<TopicPartition, String> owners = new HashMap<>();
			List<Member> members = new ArrayList<>();
			for (MemberDescription member : description.members()) {
				List<Integer> held = member.assignment()
					.topicPartitions()
					.stream()
					.filter((partition) -> partition.topic().equals(this.properties.topic()))
					.map(TopicPartition::partition)
					.sorted()
					.toList();
				held.forEach((p) -> owners.put(new TopicPartition(this.properties.topic(), p), member.consumerId()));
				members.add(new Member(member.consumerId(), member.clientId(), member.host(), held));
			}
			boolean readsTopic = !owners.isEmpty() || committed.keySet().stream().anyMatch(partitions::contains);
			if (!readsTopic) {
				continue; // a group of another topic (a dead-letter replay, say)
			}
			members.sort(Comparator.comparing(Member::host).thenComparing(Member::memberId));
			List<PartitionLag> lags = new ArrayList<>();
			long totalLag = 0;
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata offset = committed.get(partition);
				long from = (offset != null) ? offset.offset() : start.get(partition);
				long lag = Math.max(0, end.get(partition) - from);
				totalLag += lag;
				lags.add(new PartitionLag(partition.partition(), (offset != null) ? offset.offset() : null,
						end.get(partition), lag, owners.get(partition)));
			}
			groups.add(new Group(id, description.groupState().toString(), members, lags, totalLag));
		}
		return groups;
	}

	private List<DeadLetterTopic> deadLetters(Admin admin, Set<String> topics, long timeout) throws Exception {
		List<DeadLetterTopic> deadLetters = new ArrayList<>();
		for (String topic : topics.stream().filter((name) -> name.endsWith(".dlt")).sorted().toList()) {
			List<TopicPartition> partitions = partitionsOf(admin, topic, timeout);
			Map<TopicPartition, Long> end = offsets(admin, partitions, OffsetSpec.latest(), timeout);
			Map<TopicPartition, Long> start = offsets(admin, partitions, OffsetSpec.earliest(), timeout);
			long records = partitions.stream().mapToLong((p) -> end.get(p) - start.get(p)).sum();
			deadLetters.add(new DeadLetterTopic(topic, records));
		}
		return deadLetters;
	}

	/** Reads the replenishment events published since the last sample, keeping the latest. */
	private void readReplenishments() {
		if (this.replenishmentReader == null) {
			this.replenishmentReader = new KafkaConsumer<>(replenishmentReaderConfig());
			this.replenishmentReader.assign(this.replenishmentReader.partitionsFor(this.properties.replenishmentTopic())
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList());
			this.rewindReplenishments = true;
		}
		if (this.rewindReplenishments) {
			// The last few of each partition: enough to fill the list at once, and after a pause
			// the orders of now, not the backlog since the page was last open.
			List<TopicPartition> partitions = List.copyOf(this.replenishmentReader.assignment());
			Map<TopicPartition, Long> end = this.replenishmentReader.endOffsets(partitions);
			Map<TopicPartition, Long> beginning = this.replenishmentReader.beginningOffsets(partitions);
			for (TopicPartition partition : partitions) {
				this.replenishmentReader.seek(partition,
						Math.max(beginning.get(partition), end.get(partition) - this.properties.latestReplenishments()));
			}
			this.replenishments.clear();
			this.rewindReplenishments = false;
		}
		for (ConsumerRecord<byte[], byte[]> record : this.replenishmentReader.poll(Duration.ofMillis(100))) {
			try {
				JsonNode event = JSON.readTree(record.value());
				this.replenishments.addFirst(new Replenishment(event.get("replenishmentId").asString(),
						event.get("sku").asString(), event.get("quantity").asLong(), event.get("onHand").asLong(),
						Instant.parse(event.get("requestedAt").asString())));
			}
			catch (RuntimeException ex) {
				logger.debug("Unreadable replenishment event at {}-{}@{}", record.topic(), record.partition(),
						record.offset());
			}
		}
		List<Replenishment> newestFirst = new ArrayList<>(this.replenishments);
		newestFirst.sort(Comparator.comparing(Replenishment::requestedAt).reversed());
		this.replenishments.clear();
		newestFirst.stream().limit(this.properties.latestReplenishments()).forEach(this.replenishments::addLast);
	}

	private Map<String, Object> replenishmentReaderConfig() {
		Map<String, Object> config = new HashMap<>(this.clientConfig);
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "event-flow-dashboard");
		return config;
	}

	private Admin admin() {
		if (this.admin == null) {
			Map<String, Object> config = new HashMap<>(this.clientConfig);
			config.put(AdminClientConfig.CLIENT_ID_CONFIG, "event-flow-dashboard");
			this.admin = Admin.create(config);
		}
		return this.admin;
	}

	private static List<TopicPartition> partitionsOf(Admin admin, String topic, long timeout) throws Exception {
		return admin.describeTopics(List.of(topic))
			.allTopicNames()
			.get(timeout, TimeUnit.MILLISECONDS)
			.get(topic)
			.partitions()
			.stream()
			.map((info) -> new TopicPartition(topic, info.partition()))
			.toList();
	}

	private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec,
			long timeout) throws Exception {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach((partition) -> request.put(partition, spec));
		Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(request)
			.all()
			.get(timeout, TimeUnit.MILLISECONDS);
		Map<TopicPartition, Long> offsets = new HashMap<>();
		result.forEach((partition, info) -> offsets.put(partition, info.offset()));
		return offsets;
	}

	@Override
	public void destroy() {
		if (this.replenishmentReader != null) {
			this.replenishmentReader.close(Duration.ofSeconds(1));
		}
		if (this.admin != null) {
			this.admin.close(Duration.ofSeconds(1));
		}
	}

	private record Sample(Instant at, long total) {
	}

}
