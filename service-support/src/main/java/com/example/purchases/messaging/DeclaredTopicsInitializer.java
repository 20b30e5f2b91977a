package com.example.purchases.messaging;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Keeps trying to create the declared topics when the broker was not reachable at start-up.
 * <p>
 * {@link KafkaAdmin} tries once, while the context starts. An application started before its
 * broker would otherwise leave topic creation to the broker's auto-creation, which uses the
 * broker's default partition count instead of the contract's. Until the topics exist the
 * {@link KafkaHealthIndicator} keeps the application out of readiness. Where the principal may
 * not create topics (the secured cluster), it keeps checking until the administrator has made them.
 */
public class DeclaredTopicsInitializer implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(DeclaredTopicsInitializer.class);

	private final KafkaAdmin kafkaAdmin;

	private final Duration retryInterval;

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "declared-topics");
		thread.setDaemon(true);
		return thread;
	});

	public DeclaredTopicsInitializer(KafkaAdmin kafkaAdmin, Duration retryInterval) {
		this.kafkaAdmin = kafkaAdmin;
		this.retryInterval = retryInterval;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		this.executor.execute(this::initialize);
	}

	private void initialize() {
		if (this.kafkaAdmin.initialize()) {
			return;
		}
		// On a secured cluster a service may not create topics: a missing one is the administrator's
		// to make, and the readiness check names it until it exists.
		logger.warn("Declared topics not ensured yet (broker unreachable, or a topic missing that this service "
				+ "may not create: see the error above, and health's missingTopics); retrying in {}", this.retryInterval);
		this.executor.schedule(this::initialize, this.retryInterval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
