package com.example.purchases.subscriber;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.messaging.EventContract;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Rehearses the contract's example of the event before the group's listener starts, where the
 * subscriber asks for it ({@code subscriber.warm-up.events}): the record read and validated as a
 * record of the topic would be, then the handler's {@link EventHandler#rehearse rehearsal} of it,
 * that many times or for {@code subscriber.warm-up.timeout}. A replica that joins a group with a
 * backlog otherwise takes its first records with code that runs interpreted while its JIT
 * compiles it: two listener threads that had just joined drained a backlog of confirmations an
 * eighth slower than the same threads warm, and as fast once they had rehearsed first
 * (docs/benchmarks.md, P4). The price is the listener's start, and so the replica's readiness,
 * later by up to the timeout; run beside the listener's start instead, the rehearsals were
 * starved by it and did next to nothing.
 * <p>
 * Nothing it does is applied or counted, and a failure only ends it early: a warm-up never keeps
 * a subscriber from starting.
 */
final class SubscriberWarmUp implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SubscriberWarmUp.class);

	private final SubscriberPipeline<?> pipeline;

	private final String group;

	private final String type;

	private final SubscriberProperties.WarmUp settings;

	private volatile boolean running;

	private volatile boolean stopped;

	SubscriberWarmUp(SubscriberPipeline<?> pipeline, String group, String type, SubscriberProperties.WarmUp settings) {
		this.pipeline = pipeline;
		this.group = group;
		this.type = type;
		this.settings = settings;
	}

	@Override
	public void start() {
		this.running = true;
		this.stopped = false;
		if (this.settings.events() <= 0) {
			return;
		}
		try {
			EventContract.exampleOf(this.type).ifPresentOrElse((example) -> rehearse(record(example), this.settings),
					() -> logger.info("No warm-up of {}: the contract has no example of {}", this.group, this.type));
		}
		catch (RuntimeException ex) {
			logger.warn("No warm-up of {}: {}", this.group, ex.toString());
		}
	}

	/**
	 * @return how many rehearsals ran
	 */
	int rehearse(ConsumerRecord<byte[], byte[]> record, SubscriberProperties.WarmUp warmUp) {
		long started = System.nanoTime();
		long deadline = started + warmUp.timeout().toNanos();
		int done = 0;
		try {
			while (done < warmUp.events() && System.nanoTime() - deadline < 0 && !this.stopped) {
				this.pipeline.rehearse(record);
				done++;
			}
		}
		catch (Exception ex) {
			logger.warn("Warm-up of {} ended after {} rehearsals: {}", this.group, done, ex.toString());
			return done;
		}
		logger.info("Warm-up of {}: {} rehearsals of the contract's example in {} ms", this.group, done,
				Duration.ofNanos(System.nanoTime() - started).toMillis());
		return done;
	}

	static ConsumerRecord<byte[], byte[]> record(EventContract.Example example) {
		byte[] value = JsonMapper.shared().writeValueAsBytes(example.payload());
		String key = String.valueOf(example.payload().getOrDefault("customerId", ""));
		ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("warm-up", 0, 0,
				key.getBytes(StandardCharsets.UTF_8), value);
		example.headers().forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
		return record;
	}

	@Override
	public void stop() {
		this.stopped = true;
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Just before the listener container's. */
	@Override
	public int getPhase() {
		return AbstractMessageListenerContainer.DEFAULT_PHASE - 1;
	}

}
