package com.example.purchases.e2e;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user does, checked the way a user would: {@code docker-compose.yml} built and started,
 * purchases placed over REST (some retried with the same {@code Idempotency-Key}), both
 * subscribers' APIs reflecting exactly the accepted purchases, then one subscriber scaled to
 * three replicas while the other group is left alone, checked with Kafka's own
 * {@code kafka-consumer-groups.sh}. The publisher was never changed to add a subscriber: both
 * groups receive every event on their own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurchaseSystemEndToEndTests {

	private static final String HISTORY = "purchase-history-subscriber";

	private static final String STOCK = "stock-replenishment-subscriber";

	private static final List<String> SKUS = List.of("SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5", "E2E-A", "E2E-B");

	private static final JsonMapper json = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final Ledger ledger = new Ledger();

	private static final Map<String, JsonNode> initialStock = new HashMap<>();

	private static final Random random = new Random(42);

	private static Path root;

	private static ComposeStack stack;

	private static boolean failed;

	@RegisterExtension
	static final TestWatcher logsOnFailure = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			failed = true;
		}

	};

	@BeforeAll
	static void start() {
		root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
		stack = ComposeStack.ofThisMachine(root, "docker-compose.yml");
		Assumptions.assumeTrue(stack != null, "No Docker engine or no compose command on this machine");
		for (String module : List.of("purchase-publisher", HISTORY, STOCK, "event-flow-dashboard")) {
			try (var jars = Files.list(root.resolve(module).resolve("target"))) {
				assertThat(jars.map((jar) -> jar.getFileName().toString()))
					.as("the jar of %s (run mvn verify from the root)", module)
					.anyMatch((name) -> name.startsWith(module) && name.endsWith(".jar"));
			}
			catch (IOException ex) {
				throw new IllegalStateException(module + " is not built: run mvn verify from the root", ex);
			}
		}
		stack.build();
		try {
			stack.up(Map.of());
		}
		catch (RuntimeException ex) {
			failed = true;
			throw ex;
		}
	}

	@AfterAll
	static void stop() {
		if (stack == null) {
			return;
		}
		if (failed) {
			System.out.println("===== container logs of " + stack.project() + " =====");
			System.out.println(stack.logs());
		}
		stack.down();
	}

	@Test
	@Order(1)
	void bothSubscribersReflectExactlyTheAcceptedPurchases() throws Exception {
		int historyPort = stack.port(HISTORY, 1);
		int stockPort = stack.port(STOCK, 1);
		for (String sku : SKUS) {
			HttpResponse<String> level = get(stockPort, "/stock/" + sku);
			// A SKU not in the seed file starts with the documented defaults.
			initialStock.put(sku, (level.statusCode() == 200) ? json.readTree(level.body())
					: json.readTree("{\"onHand\": 100, \"reorderPoint\": 20, \"reorderQuantity\": 100}"));
		}

		placePurchases(300, 30);

		assertThat(ledger.size()).isEqualTo(300);
		awaitHistoryReflectsLedger(historyPort);
		awaitStockReflectsLedger(stockPort);
	}

	@Test
	@Order(2)
	void bothSubscribersRecordTheTraceOfTheRequest() throws Exception {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		Ledger.Purchase purchase = place(randomPurchase(), "e2e-traced", "00-" + traceId + "-b7ad6b7169203331-01");
		ledger.accept(purchase);

		await("the trace in both databases").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(sql("purchase_history", "SELECT trace_id FROM purchase WHERE purchase_id = '%s'"
				.formatted(purchase.purchaseId()))).isEqualTo(traceId);
			assertThat(sql("stock_replenishment", "SELECT trace_id FROM applied_purchase WHERE purchase_id = '%s'"
				.formatted(purchase.purchaseId()))).isEqualTo(traceId);
		});
	}

	@Test
	@Order(3)
	void scalingOneSubscriberSharesItsPartitionsAndLeavesTheOtherGroupAlone() throws Exception {
		stack.up(Map.of(HISTORY, 3));
		await("3 members share the 6 partitions of purchase-history").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(3))
			.until(() -> membersOf("purchase-history").size() == 3);

		placePurchases(200, 20);

		assertThat(ledger.size()).isEqualTo(501);
		for (int replica = 1; replica <= 3; replica++) {
			// Each replica answers on its own documented port, from the shared database.
			awaitHistoryReflectsLedger(stack.port(HISTORY, replica));
		}
		awaitStockReflectsLedger(stack.port(STOCK, 1));

		Map<Integer, String> history = awaitCaughtUp("purchase-history");
		assertThat(history.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
		assertThat(new TreeSet<>(history.values())).hasSize(3);
		Map<Integer, String> stock = awaitCaughtUp("stock-replenishment");
		assertThat(stock.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
		assertThat(new TreeSet<>(stock.values())).hasSize(1);
	}

	@Test
	@Order(4)
	void theLivePageShowsTheFlowAndAScalingWithinSecondsUnderLoad() throws Exception {
		BrowserCheck browser = BrowserCheck.ofThisMachine(root);
		Assumptions.assumeTrue(browser != null,
				"No Node.js, no playwright-core (npm ci in event-flow-dashboard/src/test/browser) or no Chromium");
		int before = ledger.size();
		ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
		List<Throwable> failures = new ArrayList<>();
		try {
			// A steady 40 purchases per second while the stock subscriber is scaled to two.
			load.scheduleAtFixedRate(() -> {
				try {
					ledger.accept(place(randomPurchase(), "e2e-load-" + UUID.randomUUID()));
				}
				catch (Throwable ex) {
					failures.add(ex);
					throw new IllegalStateException(ex);
				}
			}, 0, 25, TimeUnit.MILLISECONDS);
			stack.up(Map.of(HISTORY, 3, STOCK, 2));
			await("2 members in stock-replenishment, as Kafka reports it").atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> membersOf("stock-replenishment").size() == 2);

			// Seconds later the page shows it, under load.
			Path screenshot = Path.of("target", "dashboard-under-load.png").toAbsolutePath();
			String shown = browser.expect("http://localhost:" + stack.dashboardPort() + "/", screenshot,
					Map.of("purchase-history", 3, "stock-replenishment", 2), Duration.ofSeconds(15));
			System.out.println("The page showed: " + shown + " (screenshot " + screenshot + ")");
			assertThat(screenshot).isNotEmptyFile();
		}
		finally {
			load.shutdown();
			assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(failures).isEmpty();
		assertThat(ledger.size()).isGreaterThan(before);
		awaitHistoryReflectsLedger(stack.port(HISTORY, 1));
		awaitStockReflectsLedger(stack.port(STOCK, 2));
	}

	private static void placePurchases(int count, int retried) throws Exception {
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			bodies.add(randomPurchase());
		}
		int first = ledger.size();
		ExecutorService clients = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> placed = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				String body = bodies.get(i);
				String key = "e2e-" + (first + i);
				boolean retry = i < retried;
				placed.add(clients.submit(() -> {
					Ledger.Purchase accepted = place(body, key);
					assertThat(ledger.accept(accepted)).isTrue();
					if (retry) {
						// A client that never saw the answer tries again with the same key.
						assertThat(place(body, key)).isEqualTo(accepted);
					}
					return null;
				}));
			}
			for (Future<?> future : placed) {
				future.get();
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

	private static Ledger.Purchase place(String body, String idempotencyKey) throws Exception {
		return place(body, idempotencyKey, null);
	}

	private static Ledger.Purchase place(String body, String idempotencyKey, String traceparent) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + stack.publisherPort() + "/purchases"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", idempotencyKey)
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (traceparent != null) {
			request.header("traceparent", traceparent);
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		JsonNode placed = json.readTree(body);
		JsonNode accepted = json.readTree(response.body());
		List<Ledger.Line> lines = new ArrayList<>();
		for (JsonNode item : placed.get("items")) {
			lines.add(new Ledger.Line(item.get("sku").asString(), item.get("quantity").asInt(),
					item.get("unitPrice").decimalValue()));
		}
		return new Ledger.Purchase(accepted.get("purchaseId").asString(), placed.get("customerId").asString(),
				placed.get("currency").asString(), lines, accepted.get("total").decimalValue());
	}

	private static String randomPurchase() {
		String customer = "c-e2e-" + random.nextInt(25);
		String currency = switch (random.nextInt(6)) {
			case 0 -> "USD";
			case 1 -> "JPY";
			default -> "BRL";
		};
		StringBuilder items = new StringBuilder();
		int lines = 1 + random.nextInt(3);
		for (int n = 0; n < lines; n++) {
			BigDecimal price = currency.equals("JPY") ? BigDecimal.valueOf(100 + random.nextInt(5000))
					: BigDecimal.valueOf(1 + random.nextInt(50000), 2).setScale(2, RoundingMode.UNNECESSARY);
			items.append(n == 0 ? "" : ",")
				.append("{\"sku\": \"%s\", \"quantity\": %d, \"unitPrice\": %s}".formatted(
						SKUS.get(random.nextInt(SKUS.size())), 1 + random.nextInt(4), price.toPlainString()));
		}
		return "{\"customerId\": \"%s\", \"currency\": \"%s\", \"items\": [%s]}".formatted(customer, currency, items);
	}

	private static void awaitHistoryReflectsLedger(int port) {
		for (String customer : ledger.customers()) {
			await(customer + " on port " + port).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				HttpResponse<String> response = get(port, "/customers/" + customer + "/summary");
				assertThat(response.statusCode()).isEqualTo(200);
				JsonNode summary = json.readTree(response.body());
				assertThat(summary.get("purchaseCount").asLong()).isEqualTo(ledger.purchasesOf(customer));
				Map<String, BigDecimal> totals = new HashMap<>();
				summary.get("totalsByCurrency").properties()
					.forEach((entry) -> totals.put(entry.getKey(), entry.getValue().decimalValue()));
				assertThat(totals).hasSameSizeAs(ledger.totalsOf(customer));
				ledger.totalsOf(customer)
					.forEach((currency, total) -> assertThat(totals.get(currency)).isEqualByComparingTo(total));
			});
		}
	}

	private static void awaitStockReflectsLedger(int port) {
		Map<String, Long> sold = ledger.unitsBySku();
		for (String sku : SKUS) {
			JsonNode initial = initialStock.get(sku);
			long expected = initial.get("onHand").asLong() - sold.getOrDefault(sku, 0L);
			await(sku).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				JsonNode level = json.readTree(get(port, "/stock/" + sku).body());
				assertThat(level.get("onHand").asLong()).isEqualTo(expected);
			});
			// Stock only went down: one order was opened exactly when it crossed its reorder point.
			boolean crossed = expected <= initial.get("reorderPoint").asLong();
			await(sku + " replenishment").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode orders = json.readTree(get(port, "/replenishments?sku=" + sku).body());
				assertThat(orders.size()).isEqualTo(crossed ? 1 : 0);
				orders.forEach((order) -> {
					assertThat(order.get("status").asString()).isEqualTo("OPEN");
					assertThat(order.get("quantity").asLong()).isEqualTo(initial.get("reorderQuantity").asLong());
				});
			});
		}
	}

	/** Partition to consumer of a group, as Kafka describes it, once the group has no lag. */
	private static Map<Integer, String> awaitCaughtUp(String group) {
		Map<Integer, String> owners = new HashMap<>();
		await(group + " caught up").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			owners.clear();
			for (String[] row : describe(group)) {
				assertThat(row[5]).as("lag of partition " + row[2]).isEqualTo("0");
				owners.put(Integer.parseInt(row[2]), row[6]);
			}
		});
		return owners;
	}

	private static Set<String> membersOf(String group) {
		Set<String> members = new TreeSet<>();
		for (String[] row : describe(group)) {
			if (!row[6].equals("-")) {
				members.add(row[6]);
			}
		}
		return members;
	}

	/** The rows of {@code kafka-consumer-groups.sh --describe}: group, topic, partition, ..., consumer id. */
	private static List<String[]> describe(String group) {
		// The broker's listener for the compose network: the host one advertises a host port.
		String output = stack.exec("kafka", "/opt/kafka/bin/kafka-consumer-groups.sh", "--bootstrap-server",
				"localhost:29092", "--describe", "--group", group);
		return output.lines()
			.map((line) -> line.strip().split("\\s+"))
			.filter((row) -> row.length >= 7 && row[0].equals(group) && row[1].equals("purchases.completed"))
			.toList();
	}

	/** A single value read from a subscriber's database, with psql in the postgres container. */
	private static String sql(String database, String query) {
		return stack.exec("postgres", "psql", "-U", "postgres", "-d", database, "-tAc", query).strip();
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
