package com.example.purchases.gateway.routing;

import org.apache.hc.core5.util.TimeValue;

import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The connections from the gateway to the replicas: Apache HttpClient's blocking client, which
 * forwards each request on the servlet thread that received it. The JDK's client, Boot's choice
 * without it, starts a new thread for every proxied request on a machine of two cores (its
 * completion stages fall back to a thread per task when the common pool has one thread) and
 * Spring's factory another to write the body: that was most of the hop's cost
 * (docs/benchmarks.md, P1 through the gateway).
 * <p>
 * Pools are per replica, since each request is sent to the replica the load balancer picked
 * for it: a kept-alive connection never pins requests to one replica.
 */
@Configuration(proxyBeanMethods = false)
class ReplicaConnectionsConfiguration {

	/** As many as the servlet container has threads: a request never waits for a connection. */
	static final int CONNECTIONS_PER_REPLICA = 200;

	@Bean
	ClientHttpRequestFactoryBuilderCustomizer<HttpComponentsClientHttpRequestFactoryBuilder> replicaConnections() {
		return (builder) -> builder
			.withConnectionManagerCustomizer((pool) -> pool.setMaxConnPerRoute(CONNECTIONS_PER_REPLICA)
				.setMaxConnTotal(4 * CONNECTIONS_PER_REPLICA))
			// A connection the replica may have closed while it sat idle is checked before reuse,
			// so that a request (a purchase without Idempotency-Key is not retried) is not lost to it.
			.withConnectionConfigCustomizer((connection) -> connection.setValidateAfterInactivity(TimeValue.ofSeconds(1)))
			// The body passes through as the replica sent it, and retries are the routes' own
			// (Retry filters in application.yml), never the client's.
			.withHttpClientCustomizer((client) -> client.disableContentCompression().disableAutomaticRetries());
	}

}
