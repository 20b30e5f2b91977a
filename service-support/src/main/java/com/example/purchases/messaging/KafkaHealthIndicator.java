package com.example.purchases.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Reports the broker as reachable when the cluster answers {@code describeCluster} within a
 * short timeout, and every topic the application declares exists. Spring Boot 4 ships no Kafka
 * health indicator; this one belongs in the readiness group, never in liveness (a broker
 * outage is no reason to restart the application).
 */
public class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(KafkaHealthIndicator.class);

	private final Map<String, Object> adminConfig;

	private final Duration timeout;

	private final Set<String> declaredTopics;

	private final AtomicBoolean unreachable = new AtomicBoolean();

	private volatile Admin admin;

	public KafkaHealthIndicator(KafkaAdmin kafkaAdmin, Duration timeout, Set<String> declaredTopics) {
		super("Kafka health check failed");
		Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
		int timeoutMs = (int) timeout.toMillis();
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
		config.put(AdminClientConfig.CLIENT_ID_CONFIG, "health-check");
		this.adminConfig = config;
		this.timeout = timeout;
		this.declaredTopics = Set.copyOf(declaredTopics);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		try {
			check(builder);
			if (this.unreachable.compareAndSet(true, false)) {
				logger.info("Kafka health check passing again");
			}
		}
		catch (ExecutionException | TimeoutException ex) {
			// Expected while the brokers are away, on every readiness probe: said once, not
			// with a stack trace every few seconds in every service.
			Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
			if (this.unreachable.compareAndSet(false, true)) {
				logger.warn("Kafka health check failing, not ready until it passes: {}", cause.toString());
			}
			builder.down().withDetail("error", cause.toString());
		}
	}

	private void check(Health.Builder builder) throws Exception {
		Admin client = admin();
		long timeoutMs = this.timeout.toMillis();
		DescribeClusterResult cluster = client.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs));
		String clusterId = cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
		int nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
		builder.withDetail("clusterId", clusterId).withDetail("nodes", nodes);
		if (this.declaredTopics.isEmpty()) {
			builder.up();
			return;
		}
		Set<String> existing = client.listTopics(new ListTopicsOptions().timeoutMs((int) timeoutMs))
			.names()
			.get(timeoutMs, TimeUnit.MILLISECONDS);
		Set<String> missing = new TreeSet<>(this.declaredTopics);
		missing.removeAll(existing);
		if (missing.isEmpty()) {
			builder.up();
		}
		else {
			builder.down().withDetail("missingTopics", missing);
		}
	}

	private Admin admin() {
		Admin client = this.admin;
		if (client == null) {
			synchronized (this) {
				client = this.admin;
				if (client == null) {
					client = Admin.create(this.adminConfig);
					this.admin = client;
				}
			}
		}
		return client;
	}

	@Override
	public void destroy() {
		Admin client = this.admin;
		if (client != null) {
			client.close(Duration.ofSeconds(1));
		}
	}

}
