package com.example.purchases.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import com.example.purchases.e2e.ComposeStackExtension.Stack;
import com.example.purchases.e2e.SystemUnderTest.Accounting;

import static com.example.purchases.e2e.SystemUnderTest.HISTORY;
import static com.example.purchases.e2e.SystemUnderTest.STOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user does, checked the way a user would: {@code docker-compose.yml} built and started,
 * purchases placed over REST (some retried with the same {@code Idempotency-Key}), both
 * subscribers' APIs reflecting exactly the accepted purchases, then one subscriber scaled to
 * three replicas while the other group is left alone, checked with Kafka's own
 * {@code kafka-consumer-groups.sh}, and the live page watched in a real browser. The publisher
 * was never changed to add a subscriber: both groups receive every event on their own.
 */
@Stack("docker-compose.yml")
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurchaseSystemEndToEndTests {

	private static final List<String> SKUS = List.of("SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5", "E2E-A", "E2E-B");

	private static final Ledger ledger = new Ledger();

	private static final Map<String, JsonNode> initialStock = new HashMap<>();

	private static SystemUnderTest system;

	@BeforeAll
	static void start(SystemUnderTest started) {
		system = started;
	}

	@Test
	@Order(1)
	void bothSubscribersReflectExactlyTheAcceptedPurchases() throws Exception {
		initialStock.putAll(system.stockLevels(SKUS));

		system.placeAll(ledger, bodies(300), "e2e", 30);

		assertThat(ledger.size()).isEqualTo(300);
		assertExactlyOnce(system.awaitAndAccount(ledger, initialStock, Duration.ofMinutes(2)));
		assertReplenishments();
	}

	@Test
	@Order(2)
	void bothSubscribersRecordTheTraceOfTheRequest() throws Exception {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		Ledger.Purchase purchase = system.place(system.randomPurchase("c-e2e", 25, SKUS), "e2e-traced",
				"00-" + traceId + "-b7ad6b7169203331-01");
		ledger.accept(purchase);

		await("the trace in both subscribers").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(traceIdIn("purchase-history", purchase.purchaseId())).isEqualTo(traceId);
			assertThat(traceIdIn("stock-replenishment", purchase.purchaseId())).isEqualTo(traceId);
		});
	}

	@Test
	@Order(3)
	void scalingOneSubscriberSharesItsPartitionsAndLeavesTheOtherGroupAlone() throws Exception {
		system.stack.up(Map.of(HISTORY, 3));
		await("3 members share the 6 partitions of purchase-history").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(3))
			.until(() -> system.membersOf("purchase-history").size() == 3);

		system.placeAll(ledger, bodies(200), "e2e-scaled", 20);

		assertThat(ledger.size()).isEqualTo(501);
		assertExactlyOnce(system.awaitAndAccount(ledger, initialStock, Duration.ofMinutes(2)));
		// The same URL as before the scaling: the gateway spreads the queries over the three
		// replicas, in turn, and every replica answers the same from the shared database.
		List<String> replicas = system.stack.containers(HISTORY);
		assertThat(replicas).hasSize(3);
		Map<String, Long> before = new HashMap<>();
		for (String replica : replicas) {
			before.put(replica, system.served(replica, "/customers/{customerId}/summary"));
		}
		List<String> customers = List.copyOf(ledger.customers());
		for (int i = 0; i < 300; i++) {
			String customer = customers.get(i % customers.size());
			assertThat(system.getJson("/customers/" + customer + "/summary").get("purchaseCount").asLong())
				.isEqualTo(ledger.purchasesOf(customer));
		}
		for (String replica : replicas) {
			long share = system.served(replica, "/customers/{customerId}/summary") - before.get(replica);
			System.out.println("Replica " + replica + " served " + share + " of 300 queries");
			assertThat(share).as("queries served by " + replica).isBetween(60L, 140L);
		}
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
		BrowserCheck browser = BrowserCheck.ofThisMachine(ComposeStack.projectRoot());
		Assumptions.assumeTrue(browser != null,
				"No Node.js, no playwright-core (npm ci in event-flow-dashboard/src/test/browser) or no Chromium");
		int before = ledger.size();
		ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
		List<Throwable> failures = new ArrayList<>();
		try {
			// A steady 40 purchases per second while the stock subscriber is scaled to two.
			load.scheduleAtFixedRate(() -> {
				try {
					ledger.accept(system.place(system.randomPurchase("c-e2e", 25, SKUS), "e2e-load-" + UUID.randomUUID()));
				}
				catch (Throwable ex) {
					failures.add(ex);
					throw new IllegalStateException(ex);
				}
			}, 0, 25, TimeUnit.MILLISECONDS);
			system.stack.up(Map.of(HISTORY, 3, STOCK, 2));
			await("2 members in stock-replenishment, as Kafka reports it").atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> system.membersOf("stock-replenishment").size() == 2);

			// Seconds later the page shows it, under load.
			Path screenshot = Path.of("target", "dashboard-under-load.png").toAbsolutePath();
			String shown = browser.expect("http://localhost:" + system.stack.dashboardPort() + "/", screenshot,
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
		assertExactlyOnce(system.awaitAndAccount(ledger, initialStock, Duration.ofMinutes(2)));
	}

	private static List<String> bodies(int count) {
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			bodies.add(system.randomPurchase("c-e2e", 25, SKUS));
		}
		return bodies;
	}

	private static void assertExactlyOnce(Accounting accounting) {
		FaultInjectionTests.assertExactlyOnce(accounting, 0);
	}

	/** Stock only went down: one order was opened exactly where a SKU crossed its reorder point. */
	private static void assertReplenishments() throws Exception {
		Map<String, Long> sold = ledger.unitsBySku();
		for (String sku : SKUS) {
			JsonNode initial = initialStock.get(sku);
			boolean crossed = initial.get("onHand").asLong() - sold.getOrDefault(sku, 0L) <= initial.get("reorderPoint")
				.asLong();
			await(sku + " replenishment").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode orders = system.getJson("/replenishments?sku=" + sku);
				assertThat(orders.size()).isEqualTo(crossed ? 1 : 0);
				orders.forEach((order) -> {
					assertThat(order.get("status").asString()).isEqualTo("OPEN");
					assertThat(order.get("quantity").asLong()).isEqualTo(initial.get("reorderQuantity").asLong());
				});
			});
		}
	}

	private static String traceIdIn(String group, String purchaseId) throws Exception {
		var response = system.get("/subscribers/" + group + "/purchases/" + purchaseId);
		return (response.statusCode() == 200) ? SystemUnderTest.JSON.readTree(response.body()).get("traceId").asString()
				: null;
	}

	/** Partition to consumer of a group, as Kafka describes it, once the group has no lag. */
	private static Map<Integer, String> awaitCaughtUp(String group) {
		Map<Integer, String> owners = new HashMap<>();
		await(group + " caught up").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			owners.clear();
			for (String[] row : system.describe(group)) {
				assertThat(row[5]).as("lag of partition " + row[2]).isEqualTo("0");
				owners.put(Integer.parseInt(row[2]), row[6]);
			}
		});
		return owners;
	}

}
