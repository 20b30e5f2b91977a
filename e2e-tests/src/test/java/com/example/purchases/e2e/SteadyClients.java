package com.example.purchases.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.core.ConditionTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients placing purchases at a steady rate, each with its own {@code Idempotency-Key}, the way
 * a well-behaved client does: a 503 is retried with the same key after its {@code Retry-After}
 * (at most 2 s here, to keep the suite short), a lost connection likewise, until a 202. Requests
 * are asynchronous, so that a broker outage cannot starve the clients of threads, and at most
 * {@value #CONNECTIONS} are on the wire at once, as through a client's connection pool: without
 * that bound every purchase started during an outage retries on a connection of its own (a 503
 * closes it), and the retries of a minute's purchases become a storm no real client fleet sends.
 */
final class SteadyClients implements AutoCloseable {

	private static final int MAX_ATTEMPTS = 120;

	private static final int CONNECTIONS = 64;

	private static final Duration RAMP_UP = Duration.ofSeconds(10);

	private final long startedAt = System.nanoTime();

	private final int limit;

	private final SystemUnderTest system;

	private final Ledger ledger;

	private final String customerPrefix;

	private final int customers;

	private final List<String> skus;

	private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor();

	// Not CompletableFuture.delayedExecutor: on 2 cores it starts a thread per delayed task,
	// and thousands of retries in an outage would cost the machine the tests measure.
	private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

	private final Semaphore connections = new Semaphore(CONNECTIONS);

	private final AtomicInteger started = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger unavailable = new AtomicInteger();

	private final AtomicInteger withoutRetryAfter = new AtomicInteger();

	private final AtomicLong slowestUnavailableMillis = new AtomicLong();

	private final Queue<String> failures = new ConcurrentLinkedQueue<>();

	/** What each purchase still in flight got last: said when the wait for them runs out. */
	private final Map<String, String> lastAnswers = new ConcurrentHashMap<>();

	/**
	 * @param perSecond purchases started per second
	 * @param limit purchases started in all: a stream of a known length whatever the faults do
	 * to the rate at which they are accepted (during an outage the clients' backlog grows by the
	 * rate each second, and all of it is placed afterwards)
	 */
	SteadyClients(SystemUnderTest system, Ledger ledger, String customerPrefix, int customers, List<String> skus,
			int perSecond, int limit) {
		this.limit = limit;
		this.system = system;
		this.ledger = ledger;
		this.customerPrefix = customerPrefix;
		this.customers = customers;
		this.skus = skus;
		this.schedule.scheduleAtFixedRate(this::placeOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
	}

	/** Purchases accepted so far. */
	int placed() {
		return this.accepted.get();
	}

	/** Waits until this many purchases were accepted; fails on any answer other than 202 or 503. */
	void awaitPlaced(int count) {
		await(count + " purchases accepted").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
			.until(() -> {
				assertThat(this.failures).isEmpty();
				return this.accepted.get() >= count;
			});
	}

	Unavailability unavailable() {
		return new Unavailability(this.unavailable.get(), this.withoutRetryAfter.get(),
				Duration.ofMillis(this.slowestUnavailableMillis.get()));
	}

	/** Stops placing new purchases and waits until every one started was accepted. */
	@Override
	public void close() {
		this.schedule.shutdownNow();
		try {
			await("every purchase started accepted").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
				.until(() -> this.inFlight.get() == 0);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(this.inFlight.get() + " purchases still in flight after 3 minutes; the last answers of some: "
					+ this.lastAnswers.entrySet().stream().limit(10).toList(), ex);
		}
		finally {
			this.retries.shutdownNow();
		}
		assertThat(this.failures).isEmpty();
	}

	private void placeOne() {
		if (this.started.get() >= this.limit) {
			return;
		}
		// Clients arrive over the first seconds rather than all at once, as after a deployment;
		// a cold publisher is not what these scenarios are about.
		long elapsed = System.nanoTime() - this.startedAt;
		if (elapsed < RAMP_UP.toNanos() && ThreadLocalRandom.current().nextDouble() * RAMP_UP.toNanos() > elapsed) {
			return;
		}
		String body;
		try {
			body = this.system.randomPurchase(this.customerPrefix, this.customers, this.skus);
		}
		catch (RuntimeException | AssertionError ex) {
			// A task of a scheduled executor that throws is never run again: say why, so that
			// awaitPlaced fails with the cause rather than waiting for purchases nobody places.
			this.failures.add("no purchase could be made: " + ex);
			return;
		}
		String key = this.customerPrefix + "-key-" + this.started.incrementAndGet();
		this.inFlight.incrementAndGet();
		attempt(body, key, 1);
	}

	private void attempt(String body, String key, int attempt) {
		if (!this.connections.tryAcquire()) {
			// Waits for a connection of the pool, as a pooled client does; not an attempt yet.
			this.retries.schedule(() -> attempt(body, key, attempt), 20, TimeUnit.MILLISECONDS);
			return;
		}
		Instant sent = Instant.now();
		CompletableFuture<HttpResponse<String>> answer;
		try {
			answer = this.system.postAsync(body, key);
		}
		catch (RuntimeException | AssertionError ex) {
			// No request sent (the client's token could not be had, say): an attempt that failed,
			// tried again like any other, never a purchase left in flight with its connection.
			answer = CompletableFuture.failedFuture(ex);
		}
		answer.whenComplete((response, error) -> {
			this.connections.release();
			try {
				answered(body, key, attempt, sent, response, error);
			}
			catch (RuntimeException | AssertionError ex) {
				this.failures.add("purchase " + key + ": " + ex);
				this.lastAnswers.remove(key);
				this.inFlight.decrementAndGet();
			}
		});
	}

	private void answered(String body, String key, int attempt, Instant sent, HttpResponse<String> response,
			Throwable error) {
		this.lastAnswers.put(key, "attempt " + attempt + ": "
				+ ((error != null) ? error.toString() : response.statusCode() + " " + response.body()));
		if (error == null && response.statusCode() == 202) {
			this.ledger.accept(SystemUnderTest.accepted(body, response.body()));
			this.accepted.incrementAndGet();
			this.lastAnswers.remove(key);
			this.inFlight.decrementAndGet();
			return;
		}
		Duration wait = Duration.ofSeconds(1);
		if (error == null && response.statusCode() == 503) {
			this.unavailable.incrementAndGet();
			this.slowestUnavailableMillis.accumulateAndGet(Duration.between(sent, Instant.now()).toMillis(), Math::max);
			wait = retryAfter(response);
		}
		else if (error == null) {
			this.failures.add(response.statusCode() + ": " + response.body());
			this.lastAnswers.remove(key);
			this.inFlight.decrementAndGet();
			return;
		}
		if (attempt >= MAX_ATTEMPTS) {
			this.failures.add("gave up after " + attempt + " attempts: " + ((error != null) ? error : response.body()));
			this.lastAnswers.remove(key);
			this.inFlight.decrementAndGet();
			return;
		}
		this.retries.schedule(() -> attempt(body, key, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	private Duration retryAfter(HttpResponse<String> response) {
		return response.headers().firstValue("Retry-After").map((seconds) -> {
			long asked = Long.parseLong(seconds);
			return Duration.ofSeconds(Math.min(asked, 2));
		}).orElseGet(() -> {
			this.withoutRetryAfter.incrementAndGet();
			return Duration.ofSeconds(1);
		});
	}

	/**
	 * @param answers 503 answers received
	 * @param withoutRetryAfter of those, without a {@code Retry-After}
	 * @param slowest the longest a 503 took
	 */
	record Unavailability(int answers, int withoutRetryAfter, Duration slowest) {
	}

}
