package com.example.purchases.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Clients placing purchases, as they would: each purchase with its own {@code Idempotency-Key},
 * some retried with the same key (as after a lost answer) and checked to get the same
 * purchase id. Every accepted purchase is written to a file for {@link DeliveryCheck}.
 * <p>
 * The requests carry the {@code checkout} client's token from the authorization server
 * ({@code load.token-url}), one token for the whole run until it nears its expiry, as the
 * checkout service holds one.
 * <p>
 * Settings (system properties): {@code load.base-url}, {@code load.token-url}, {@code load.profile} ({@code steady},
 * {@code ramp}, {@code burst}), {@code load.rate} (purchases per second), {@code load.duration}
 * (seconds), {@code load.customers}, {@code load.skus}, {@code load.retry-percent}.
 */
public class PurchasesSimulation extends Simulation {

	private static final String BASE_URL = System.getProperty("load.base-url", "http://localhost:8080");

	private static final String TOKEN_URL = System.getProperty("load.token-url", "http://localhost:9000/oauth2/token");

	private static final ClientToken checkout = new ClientToken(TOKEN_URL, "checkout");

	private static final String PROFILE = System.getProperty("load.profile", "steady");

	private static final double RATE = Double.parseDouble(System.getProperty("load.rate", "100"));

	private static final Duration DURATION = Duration.ofSeconds(Long.getLong("load.duration", 60));

	private static final int CUSTOMERS = Integer.getInteger("load.customers", 1000);

	private static final int SKUS = Integer.getInteger("load.skus", 50);

	private static final double RETRY_PERCENT = Double.parseDouble(System.getProperty("load.retry-percent", "5"));

	private static final Path ACCEPTED = Path.of(System.getProperty("load.accepted-file", "target/accepted-purchases.csv"));

	private static final Queue<String> accepted = new ConcurrentLinkedQueue<>();

	private final Iterator<Map<String, Object>> purchases = Stream.generate(PurchasesSimulation::purchase).iterator();

	// One pool of kept-alive connections, as a calling service or gateway holds; a new TCP
	// connection per purchase measures connection set-up more than the publisher.
	private final HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
		.shareConnections()
		.contentTypeHeader("application/json")
		.acceptHeader("application/json")
		.header("Authorization", (session) -> checkout.bearer());

	private final ScenarioBuilder place = scenario("Place purchases").feed(this.purchases)
		.exec(http("POST /purchases").post("/purchases")
			.header("Idempotency-Key", "#{key}")
			.body(StringBody("#{body}"))
			.check(status().is(202), jsonPath("$.purchaseId").saveAs("purchaseId")))
		.exec((session) -> {
			accepted.add(session.getString("purchaseId") + "," + session.getString("customerId") + ","
					+ System.currentTimeMillis());
			return session;
		})
		.exec(randomSwitch().on(percent(RETRY_PERCENT)
			.then(exec(http("POST /purchases, retried with the same key").post("/purchases")
				.header("Idempotency-Key", "#{key}")
				.body(StringBody("#{body}"))
				.check(status().is(202), jsonPath("$.purchaseId").isEL("#{purchaseId}"))))));

	{
		setUp(this.place.injectOpen(injection())).protocols(this.protocol)
			.assertions(global().failedRequests().count().is(0L));
	}

	@Override
	public void after() {
		try {
			Files.createDirectories(ACCEPTED.toAbsolutePath().getParent());
			List<String> lines = new ArrayList<>();
			lines.add("purchaseId,customerId,acceptedAtMillis");
			lines.addAll(accepted);
			Files.write(ACCEPTED, lines, StandardCharsets.UTF_8);
			System.out.println(accepted.size() + " accepted purchases written to " + ACCEPTED.toAbsolutePath());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<OpenInjectionStep> injection() {
		return switch (PROFILE) {
			case "steady" -> List.of(constantUsersPerSec(RATE).during(DURATION));
			case "ramp" -> List.of(rampUsersPerSec(1).to(RATE).during(DURATION));
			case "burst" -> {
				// A quarter of the rate, with five-second bursts at twice the rate every 15 s.
				List<OpenInjectionStep> steps = new ArrayList<>();
				for (long elapsed = 0; elapsed < DURATION.toSeconds(); elapsed += 15) {
					steps.add(constantUsersPerSec(RATE / 4).during(Duration.ofSeconds(10)));
					steps.add(constantUsersPerSec(RATE * 2).during(Duration.ofSeconds(5)));
				}
				yield steps;
			}
			default -> throw new IllegalArgumentException("load.profile must be steady, ramp or burst: " + PROFILE);
		};
	}

	private static Map<String, Object> purchase() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String customer = "load-c-" + random.nextInt(CUSTOMERS);
		StringBuilder items = new StringBuilder();
		int lines = 1 + random.nextInt(3);
		for (int n = 0; n < lines; n++) {
			items.append(n == 0 ? "" : ",")
				.append("{\"sku\": \"LOAD-%d\", \"quantity\": %d, \"unitPrice\": %d.%02d}".formatted(random.nextInt(SKUS),
						1 + random.nextInt(4), 1 + random.nextInt(500), random.nextInt(100)));
		}
		return Map.of("customerId", customer, "key", UUID.randomUUID().toString(), "body",
				"{\"customerId\": \"%s\", \"currency\": \"BRL\", \"items\": [%s]}".formatted(customer, items));
	}

}
