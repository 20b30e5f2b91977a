package com.example.purchases.e2e;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A client reading through the gateway at a steady rate, as a customer-care screen would,
 * recording when each query was sent, how long it took and what it got.
 */
final class SteadyQueries implements AutoCloseable {

	private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.executor(Executors.newFixedThreadPool(2))
		.build();

	private final SystemUnderTest system;

	private final List<String> paths;

	private final Queue<Query> queries = new ConcurrentLinkedQueue<>();

	private final AtomicInteger sent = new AtomicInteger();

	SteadyQueries(SystemUnderTest system, List<String> paths, int perSecond) {
		this.system = system;
		this.paths = paths;
		this.schedule.scheduleAtFixedRate(this::query, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
	}

	private void query() {
		String path = this.paths.get(ThreadLocalRandom.current().nextInt(this.paths.size()));
		Instant sent = Instant.now();
		this.sent.incrementAndGet();
		this.http.sendAsync(HttpRequest.newBuilder(this.system.gateway(path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", this.system.tokens.bearer(Tokens.OPERATIONS))
			.GET()
			.build(),
				HttpResponse.BodyHandlers.discarding())
			.whenComplete((response, error) -> this.queries.add(new Query(sent,
					Duration.between(sent, Instant.now()), (error == null) ? response.statusCode() : -1)));
	}

	/** The queries answered so far. */
	List<Query> answered() {
		return List.copyOf(this.queries);
	}

	@Override
	public void close() {
		this.schedule.shutdownNow();
		await("the last queries answered").atMost(Duration.ofSeconds(40))
			.until(() -> this.queries.size() == this.sent.get());
	}

	/**
	 * @param sent when it was sent
	 * @param took how long its answer took
	 * @param status the answer's status, -1 when there was none
	 */
	record Query(Instant sent, Duration took, int status) {

		boolean failed() {
			return this.status != 200;
		}

	}

}
