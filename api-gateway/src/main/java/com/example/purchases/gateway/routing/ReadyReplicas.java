package com.example.purchases.gateway.routing;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * The ready replicas of one service: every address its name resolves to (Docker's DNS answers
 * with one address per container of a compose service), each asked for its readiness, again
 * every {@code gateway.replicas.refresh-interval}. A replica that starts, dies or stops being
 * ready joins or leaves the rotation within that interval; the load balancer picks among them in
 * turn, so that scaling a service out needs no change here.
 */
final class ReadyReplicas implements ServiceInstanceListSupplier, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ReadyReplicas.class);

	private static final String HEALTH_PORT = "health-port";

	private final String serviceId;

	private final ReplicaProperties properties;

	private final HttpClient http;

	private final Sinks.Many<List<ServiceInstance>> ready = Sinks.many().replay().latest();

	private final ScheduledExecutorService schedule;

	private volatile List<ServiceInstance> last = List.of();

	ReadyReplicas(String serviceId, ReplicaProperties properties) {
		this.serviceId = serviceId;
		this.properties = properties;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.healthTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		this.schedule = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "replicas-" + serviceId);
			thread.setDaemon(true);
			return thread;
		});
		refresh();
		this.schedule.scheduleWithFixedDelay(this::refresh, properties.refreshInterval().toMillis(),
				properties.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.ready.asFlux();
	}

	private void refresh() {
		try {
			List<ServiceInstance> candidates = candidates();
			List<CompletableFuture<ServiceInstance>> checks = candidates.stream().map(this::checked).toList();
			List<ServiceInstance> ready = checks.stream()
				.map(CompletableFuture::join)
				.filter(Objects::nonNull)
				.sorted(Comparator.comparing(ServiceInstance::getHost))
				.toList();
			if (!ready.equals(this.last)) {
				logger.info("{}: {} of {} replicas ready {}", this.serviceId, ready.size(), candidates.size(),
						ready.stream().map((instance) -> instance.getHost() + ":" + instance.getPort()).toList());
				this.last = ready;
			}
			this.ready.tryEmitNext(ready);
		}
		catch (RuntimeException ex) {
			logger.warn("{}: replicas not refreshed: {}", this.serviceId, ex.toString());
		}
	}

	private List<ServiceInstance> candidates() {
		List<String> fixed = this.properties.addresses().get(this.serviceId);
		List<ServiceInstance> candidates = new ArrayList<>();
		if (fixed != null) {
			for (String address : fixed) {
				String[] parts = address.split(":");
				Map<String, String> health = (parts.length > 2) ? Map.of(HEALTH_PORT, parts[2]) : Map.of();
				candidates.add(instance(parts[0], Integer.parseInt(parts[1]), health));
			}
			return candidates;
		}
		try {
			for (InetAddress address : InetAddress.getAllByName(this.serviceId)) {
				candidates.add(instance(address.getHostAddress(), this.properties.port(),
						Map.of(HEALTH_PORT, Integer.toString(this.properties.healthPort()))));
			}
		}
		catch (UnknownHostException ex) {
			// No replica running: the name resolves to nothing.
		}
		return candidates;
	}

	private ServiceInstance instance(String host, int port, Map<String, String> metadata) {
		return new DefaultServiceInstance(this.serviceId + "-" + host + "-" + port, this.serviceId, host, port, false,
				metadata);
	}

	/** The replica, or {@code null} when it does not answer ready in time. */
	private CompletableFuture<ServiceInstance> checked(ServiceInstance instance) {
		String healthPort = instance.getMetadata().getOrDefault(HEALTH_PORT, Integer.toString(instance.getPort()));
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://" + instance.getHost() + ":" + healthPort + this.properties.healthPath()))
			.timeout(this.properties.healthTimeout())
			.GET()
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
			.handle((response, failure) -> (failure == null && response.statusCode() == 200) ? instance : null);
	}

	@Override
	public void destroy() {
		this.schedule.shutdownNow();
		this.ready.tryEmitComplete();
	}

}
