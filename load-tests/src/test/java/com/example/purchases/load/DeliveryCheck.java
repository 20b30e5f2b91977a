package com.example.purchases.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a load run: waits until both subscribers have applied every purchase the publisher
 * accepted (at most 5 minutes), then reports the end-to-end lag, POST accepted (the client's
 * clock) to applied (the subscriber's), as p50 and p99 per subscriber. Exits 1 if a purchase is
 * missing.
 * <p>
 * {@code DeliveryCheck <accepted-purchases.csv> <history base URL> <stock base URL>}
 */
public final class DeliveryCheck {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private DeliveryCheck() {
	}

	public static void main(String[] args) throws Exception {
		List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
		Map<String, Instant> accepted = new HashMap<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] fields = line.split(",");
			accepted.put(fields[0], Instant.ofEpochMilli(Long.parseLong(fields[2])));
		}
		Map<String, Instant> history = new ConcurrentHashMap<>();
		Map<String, Instant> stock = new ConcurrentHashMap<>();
		try {
			Awaitility.await("every accepted purchase applied by both subscribers")
				.atMost(Duration.ofMinutes(5))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> {
					lookUp(args[1], accepted, history);
					lookUp(args[2], accepted, stock);
					return history.size() == accepted.size() && stock.size() == accepted.size();
				});
		}
		catch (ConditionTimeoutException ex) {
			// reported below
		}
		System.out.printf("%n%-30s %10s %10s %10s %10s%n", "subscriber", "applied", "p50 ms", "p99 ms", "max ms");
		report("purchase-history-subscriber", accepted, history);
		report("stock-replenishment-subscriber", accepted, stock);
		if (history.size() < accepted.size() || stock.size() < accepted.size()) {
			System.out.println("MISSING: not every accepted purchase was applied within 5 minutes");
			System.exit(1);
		}
	}

	private static void lookUp(String baseUrl, Map<String, Instant> accepted, Map<String, Instant> found)
			throws Exception {
		ExecutorService lookups = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> pending = new ArrayList<>();
			for (String id : accepted.keySet()) {
				if (!found.containsKey(id)) {
					pending.add(lookups.submit(() -> {
						HttpResponse<String> response = HTTP.send(
								HttpRequest.newBuilder(URI.create(baseUrl + "/purchases/" + id)).GET().build(),
								HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() == 200) {
							found.put(id, Instant.parse(JSON.readTree(response.body()).get("appliedAt").asString()));
						}
						return null;
					}));
				}
			}
			for (Future<?> future : pending) {
				future.get();
			}
		}
		finally {
			lookups.shutdownNow();
		}
	}

	private static void report(String subscriber, Map<String, Instant> accepted, Map<String, Instant> applied) {
		List<Long> lags = new ArrayList<>();
		applied.forEach((id, at) -> lags.add(Math.max(0, Duration.between(accepted.get(id), at).toMillis())));
		lags.sort(Long::compare);
		long p50 = lags.isEmpty() ? 0 : lags.get(lags.size() / 2);
		long p99 = lags.isEmpty() ? 0 : lags.get(Math.min(lags.size() - 1, (int) (lags.size() * 0.99)));
		long max = lags.isEmpty() ? 0 : lags.get(lags.size() - 1);
		System.out.printf("%-30s %6d/%-4d %10d %10d %10d%n", subscriber, applied.size(), accepted.size(), p50, p99, max);
	}

}
