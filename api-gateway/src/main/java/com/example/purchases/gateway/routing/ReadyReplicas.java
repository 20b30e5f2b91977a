package com.example.purchases.gateway.routing;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>
 * A replica that cannot be connected to leaves at once (and so does one a request cannot connect
 * to: {@link FailedReplicas}). One that answers "not ready" leaves when it says so a second time
 * in a row. One whose answer does not come within {@code gateway.replicas.health-timeout} stays
 * while its answers have been late for no longer than {@code gateway.replicas.late-grace}: on a
 * busy machine (the rebalance after a peer died, a garbage collection, a burst of purchases) the
 * readiness check is as slow as everything else, and taking a busy replica out, its peers with
 * it, answered {@code 503} for a service that was there. A late answer does not bring a replica in
 * beside ready ones; but when none is ready, the replicas that answer late get the requests
 * rather than nobody.
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

	/** Replicas in the rotation whose last check answered "not ready", by instance id. */
	private final Set<String> notReadyOnce = ConcurrentHashMap.newKeySet();

	/** Replicas in the rotation whose checks have been late, since when (nanoTime), by instance id. */
	private final Map<String, Long> lateSince = new ConcurrentHashMap<>();

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
			List<CompletableFuture<Check>> checks = candidates.stream().map(this::checked).toList();
			Set<String> wasReady = new HashSet<>();
			this.last.forEach((instance) -> wasReady.add(instance.getInstanceId()));
			List<ServiceInstance> ready = new ArrayList<>();
			List<ServiceInstance> late = new ArrayList<>();
			for (CompletableFuture<Check> check : checks) {
				Check result = check.join();
				if (staysOrJoins(result, wasReady.contains(result.instance().getInstanceId()))) {
					ready.add(result.instance());
				}
				else if (result.answer() == Answer.NONE_IN_TIME) {
					late.add(result.instance());
				}
			}
			if (ready.isEmpty()) {
				// Slow answers beat a certain 503: with none ready, the busy ones get the requests.
				ready.addAll(late);
			}
			ready.sort(Comparator.comparing(ServiceInstance::getHost));
			synchronized (this.ready) {
				if (!ready.equals(this.last)) {
					logger.info("{}: {} of {} replicas ready {}", this.serviceId, ready.size(), candidates.size(),
							ready.stream().map((instance) -> instance.getHost() + ":" + instance.getPort()).toList());
					this.last = ready;
				}
				this.ready.tryEmitNext(ready);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("{}: replicas not refreshed: {}", this.serviceId, ex.toString());
		}
	}

	private boolean staysOrJoins(Check check, boolean wasReady) {
		String id = check.instance().getInstanceId();
		if (check.answer() != Answer.NONE_IN_TIME) {
			this.lateSince.remove(id);
		}
		if (check.answer() != Answer.NOT_READY) {
			this.notReadyOnce.remove(id);
		}
		return switch (check.answer()) {
			case READY -> true;
			case UNREACHABLE -> false;
			case NOT_READY -> {
				boolean first = wasReady && this.notReadyOnce.add(id);
				if (!first) {
					this.notReadyOnce.remove(id);
				}
				yield first;
			}
			case NONE_IN_TIME -> {
				if (!wasReady) {
					this.lateSince.remove(id);
					yield false;
				}
				long since = this.lateSince.computeIfAbsent(id, (late) -> System.nanoTime());
				yield System.nanoTime() - since <= this.properties.lateGrace().toNanos();
			}
		};
	}

	/** A request could not connect to this replica: out of the rotation until a check says ready. */
	void eject(ServiceInstance failed) {
		synchronized (this.ready) {
			List<ServiceInstance> remaining = this.last.stream()
				.filter((instance) -> !instance.getInstanceId().equals(failed.getInstanceId()))
				.toList();
			if (remaining.size() < this.last.size()) {
				logger.info("{}: {}:{} out of the rotation, a request could not connect to it", this.serviceId,
						failed.getHost(), failed.getPort());
				this.last = remaining;
				this.ready.tryEmitNext(remaining);
			}
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

	/** What a replica answered to its readiness check. */
	private CompletableFuture<Check> checked(ServiceInstance instance) {
		String healthPort = instance.getMetadata().getOrDefault(HEALTH_PORT, Integer.toString(instance.getPort()));
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://" + instance.getHost() + ":" + healthPort + this.properties.healthPath()))
			.timeout(this.properties.healthTimeout())
			.GET()
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
			.handle((response, failure) -> {
				if (failure == null) {
					return new Check(instance, (response.statusCode() == 200) ? Answer.READY : Answer.NOT_READY);
				}
				Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
				// A busy process still accepts connections (the kernel does): a connect timeout
				// means the host is gone, a late answer only that the process is busy.
				boolean late = cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException);
				return new Check(instance, late ? Answer.NONE_IN_TIME : Answer.UNREACHABLE);
			});
	}

	private enum Answer {

		READY, NOT_READY, NONE_IN_TIME, UNREACHABLE

	}

	private record Check(ServiceInstance instance, Answer answer) {
	}

	@Override
	public void destroy() {
		this.schedule.shutdownNow();
		this.ready.tryEmitComplete();
	}

}
