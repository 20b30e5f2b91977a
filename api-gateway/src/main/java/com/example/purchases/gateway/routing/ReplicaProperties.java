package com.example.purchases.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the replicas of a service are found and checked, under {@code gateway.replicas.*}.
 *
 * @param port the port every replica serves its API on
 * @param healthPort the port of its readiness check (the management port)
 * @param healthPath the readiness check: a replica answering anything but {@code 200} gets no
 * requests
 * @param refreshInterval how often the service's name is resolved again and each replica checked
 * @param healthTimeout how long a readiness check may take before it counts as late
 * @param lateGrace how long a replica in the rotation stays there while its checks are late
 * @param addresses fixed addresses of a service, instead of every address its name resolves to
 * (for running the jars without Docker): {@code host:port:management-port}, or {@code host:port}
 * when the readiness check is on the API's port
 */
@ConfigurationProperties("gateway.replicas")
record ReplicaProperties(@DefaultValue("8080") int port, @DefaultValue("8081") int healthPort,
		@DefaultValue("/actuator/health/readiness") String healthPath, @DefaultValue("2s") Duration refreshInterval,
		@DefaultValue("1s") Duration healthTimeout, @DefaultValue("10s") Duration lateGrace, @DefaultValue Map<String, List<String>> addresses) {
}
