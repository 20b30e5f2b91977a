package com.example.purchases.gateway.status;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

import com.example.purchases.gateway.status.PurchaseStatus.Subscriber;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.config.RouteProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Asks every subscriber at once whether it applied a purchase. The subscribers are the
 * gateway's routes that carry {@code metadata.subscriber} (the group): adding a subscriber's
 * route adds it here. A subscriber that does not answer within {@code gateway.status.timeout}
 * is reported as unknown; the others are reported all the same.
 */
@Component
class SubscriberLookups implements DisposableBean {

	private final List<Lookup> lookups = new ArrayList<>();

	private final RestClient http;

	private final Duration timeout;

	private final ExecutorService executor;

	private final LoadBalancerClient replicas;

	SubscriberLookups(GatewayMvcProperties gateway, LoadBalancerClient replicas,
			@Value("${gateway.status.timeout:2s}") Duration timeout) {
		for (RouteProperties route : gateway.getRoutes()) {
			Object group = (route.getMetadata() != null) ? route.getMetadata().get("subscriber") : null;
			if (group != null && route.getUri() != null) {
				this.lookups.add(new Lookup(group.toString(), route.getUri().getHost()));
			}
		}
		this.replicas = replicas;
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory();
		requests.setReadTimeout(timeout);
		this.http = RestClient.builder().requestFactory(requests).build();
		this.timeout = timeout;
		this.executor = Executors.newFixedThreadPool(Math.max(2, this.lookups.size() * 2), (task) -> {
			Thread thread = new Thread(task, "status-lookup");
			thread.setDaemon(true);
			return thread;
		});
	}

	List<Subscriber> ask(UUID purchaseId, String authorization) {
		List<CompletableFuture<Subscriber>> answers = this.lookups.stream()
			.map((lookup) -> CompletableFuture.supplyAsync(() -> ask(lookup, purchaseId, authorization), this.executor)
				.completeOnTimeout(Subscriber.unknown(lookup.group(), "no answer within " + this.timeout.toMillis() + " ms"),
						this.timeout.toMillis() + 500, TimeUnit.MILLISECONDS))
			.toList();
		return answers.stream().map(CompletableFuture::join).toList();
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

	private Subscriber ask(Lookup lookup, UUID purchaseId, String authorization) {
		ServiceInstance replica = this.replicas.choose(lookup.service());
		if (replica == null) {
			return Subscriber.unknown(lookup.group(), "no replica ready");
		}
		try {
			JsonNode applied = this.http.get()
				.uri("http://{host}:{port}/purchases/{id}", replica.getHost(), replica.getPort(), purchaseId)
				.header(HttpHeaders.AUTHORIZATION, authorization)
				.retrieve()
				.body(JsonNode.class);
			return Subscriber.applied(lookup.group(), Instant.parse(applied.get("appliedAt").asString()),
					applied.hasNonNull("traceId") ? applied.get("traceId").asString() : null);
		}
		catch (HttpClientErrorException ex) {
			if (ex.getStatusCode() == HttpStatus.NOT_FOUND) {
				return Subscriber.notApplied(lookup.group());
			}
			if (ex.getStatusCode() == HttpStatus.FORBIDDEN) {
				return Subscriber.unknown(lookup.group(), "the access token may not read it (403)");
			}
			return Subscriber.unknown(lookup.group(), "it answered " + ex.getStatusCode().value());
		}
		catch (ResourceAccessException ex) {
			return Subscriber.unknown(lookup.group(), (ex.getCause() instanceof HttpTimeoutException)
					? "no answer within " + this.timeout.toMillis() + " ms" : "no answer: " + ex.getMostSpecificCause().getMessage());
		}
		catch (RuntimeException ex) {
			return Subscriber.unknown(lookup.group(), "an answer it could not read: " + ex.getClass().getSimpleName());
		}
	}

	/**
	 * @param group the subscriber's group
	 * @param service its service, whose replicas the load balancer knows
	 */
	private record Lookup(String group, String service) {
	}

}
