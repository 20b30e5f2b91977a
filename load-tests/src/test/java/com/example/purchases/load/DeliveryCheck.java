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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a load run: waits until every subscriber has applied every purchase the publisher
 * accepted (at most 5 minutes), asking the gateway's {@code GET /purchases/{id}/status}, then
 * reports the end-to-end lag, POST accepted (the client's clock) to applied (the subscriber's),
 * as p50 and p99 per subscriber group. Exits 1 if a purchase is missing.
 * <p>
 * {@code DeliveryCheck <accepted-purchases.csv> <gateway base URL> <token URL>}
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
		// Reads every subscriber: the operations client's token.
		ClientToken operations = new ClientToken(args[2], "operations");
		// group -> purchase -> applied at
		Map<String, Map<String, Instant>> applied = new ConcurrentHashMap<>();
		Set<String> complete = ConcurrentHashMap.newKeySet();
		try {
			Awaitility.await("every accepted purchase applied by every subscriber")
				.atMost(Duration.ofMinutes(5))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> {
					lookUp(args[1], operations, accepted.keySet(), complete, applied);
					return complete.size() == accepted.size();
				});
		}
		catch (ConditionTimeoutException ex) {
			// reported below
		}
		System.out.printf("%n%-30s %10s %10s %10s %10s%n", "subscriber", "applied", "p50 ms", "p99 ms", "max ms");
		new TreeMap<>(applied).forEach((group, byPurchase) -> report(group, accepted, byPurchase));
		if (complete.size() < accepted.size()) {
			System.out.println("MISSING: " + (accepted.size() - complete.size())
					+ " accepted purchases were not applied by every subscriber within 5 minutes");
			System.exit(1);
		}
	}

	private static void lookUp(String gateway, ClientToken operations, Set<String> purchases, Set<String> complete,
			Map<String, Map<String, Instant>> applied) throws Exception {
		ExecutorService lookups = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> pending = new ArrayList<>();
			for (String id : purchases) {
				if (!complete.contains(id)) {
					pending.add(lookups.submit(() -> {
						HttpResponse<String> response = HTTP.send(
								HttpRequest.newBuilder(URI.create(gateway + "/purchases/" + id + "/status"))
									.header("Authorization", operations.bearer())
									.GET()
									.build(),
								HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() != 200) {
							return null;
						}
						boolean everywhere = true;
						for (JsonNode subscriber : JSON.readTree(response.body()).get("subscribers")) {
							if (subscriber.get("state").asString().equals("APPLIED")) {
								applied.computeIfAbsent(subscriber.get("group").asString(), (group) -> new ConcurrentHashMap<>())
									.put(id, Instant.parse(subscriber.get("appliedAt").asString()));
							}
							else {
								everywhere = false;
							}
						}
						if (everywhere) {
							complete.add(id);
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

	private static void report(String group, Map<String, Instant> accepted, Map<String, Instant> applied) {
		List<Long> lags = new ArrayList<>();
		applied.forEach((id, at) -> lags.add(Math.max(0, Duration.between(accepted.get(id), at).toMillis())));
		lags.sort(Long::compare);
		long p50 = lags.isEmpty() ? 0 : lags.get(lags.size() / 2);
		long p99 = lags.isEmpty() ? 0 : lags.get(Math.min(lags.size() - 1, (int) (lags.size() * 0.99)));
		long max = lags.isEmpty() ? 0 : lags.get(lags.size() - 1);
		System.out.printf("%-30s %6d/%-4d %10d %10d %10d%n", group, applied.size(), accepted.size(), p50, p99, max);
	}

}
