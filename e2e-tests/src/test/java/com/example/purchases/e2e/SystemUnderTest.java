package com.example.purchases.e2e;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the running system as its clients and its operators would: purchases over REST,
 * the subscribers' APIs, Kafka's own view of groups and topics, and the accounting of what was
 * accepted against what each subscriber applied.
 */
final class SystemUnderTest {

	static final String HISTORY = "purchase-history-subscriber";

	static final String STOCK = "stock-replenishment-subscriber";

	static final String NOTIFICATION = "purchase-notification-subscriber";

	/** The subscriber groups, each with its "was this purchase applied here" under the gateway. */
	static final List<String> GROUPS = List.of("purchase-history", "stock-replenishment", "purchase-notification");

	static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	// HTTP/1.1 (the publisher speaks nothing else, so no upgrade attempts) and a few threads for
	// the answers: the default executor starts a thread per concurrent answer, and hundreds of
	// them on 2 cores take the CPU the system under test needs.
	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.executor(Executors.newFixedThreadPool(4, (task) -> {
			Thread thread = new Thread(task, "e2e-http");
			thread.setDaemon(true);
			return thread;
		}))
		.build();

	private final Random random = new Random(42);

	/** The customers whose contact was given: whether with an address. */
	private final Map<String, Boolean> contacts = new ConcurrentHashMap<>();

	final ComposeStack stack;

	/** The clients' tokens, from the stack's authorization server. */
	final Tokens tokens;

	SystemUnderTest(ComposeStack stack) {
		this.stack = stack;
		this.tokens = new Tokens(stack.authPort());
	}

	// Placing purchases

	/** Posts a body as it is, as checkout unless the headers say otherwise; for the requests that must fail. */
	HttpResponse<String> post(String body, String contentType, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(gateway("/purchases"))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (!headers.containsKey("Authorization")) {
			request.header("Authorization", this.tokens.bearer(Tokens.CHECKOUT));
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Posts a purchase with its key, without waiting. */
	CompletableFuture<HttpResponse<String>> postAsync(String body, String idempotencyKey) {
		return this.http.sendAsync(HttpRequest
			.newBuilder(gateway("/purchases"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", idempotencyKey)
			.header("Authorization", this.tokens.bearer(Tokens.CHECKOUT))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Places a purchase and expects it accepted. */
	Ledger.Purchase place(String body, String idempotencyKey) throws Exception {
		return place(body, idempotencyKey, null);
	}

	Ledger.Purchase place(String body, String idempotencyKey, String traceparent) throws Exception {
		Map<String, String> headers = new HashMap<>(Map.of("Idempotency-Key", idempotencyKey));
		if (traceparent != null) {
			headers.put("traceparent", traceparent);
		}
		HttpResponse<String> response = post(body, "application/json", headers);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return accepted(body, response.body());
	}

	/** The purchase a 202 answer accepted. */
	static Ledger.Purchase accepted(String body, String answer) {
		JsonNode placed = JSON.readTree(body);
		JsonNode accepted = JSON.readTree(answer);
		List<Ledger.Line> lines = new ArrayList<>();
		for (JsonNode item : placed.get("items")) {
			lines.add(new Ledger.Line(item.get("sku").asString(), item.get("quantity").asInt(),
					item.get("unitPrice").decimalValue()));
		}
		return new Ledger.Purchase(accepted.get("purchaseId").asString(), placed.get("customerId").asString(),
				placed.get("currency").asString(), lines, accepted.get("total").decimalValue(), Instant.now());
	}

	/**
	 * A random purchase of one of {@code customers} customers, of the given SKUs. Each customer's
	 * contact is given to the notification service when first used: an address for four in five,
	 * none for the others (whose confirmations are skipped).
	 */
	synchronized String randomPurchase(String customerPrefix, int customers, List<String> skus) {
		String customer = customerPrefix + "-" + this.random.nextInt(customers);
		this.contacts.computeIfAbsent(customer, this::giveContact);
		String currency = switch (this.random.nextInt(6)) {
			case 0 -> "USD";
			case 1 -> "JPY";
			default -> "BRL";
		};
		StringBuilder items = new StringBuilder();
		int lines = 1 + this.random.nextInt(3);
		for (int n = 0; n < lines; n++) {
			BigDecimal price = currency.equals("JPY") ? BigDecimal.valueOf(100 + this.random.nextInt(5000))
					: BigDecimal.valueOf(1 + this.random.nextInt(50000), 2).setScale(2, RoundingMode.UNNECESSARY);
			items.append(n == 0 ? "" : ",")
				.append("{\"sku\": \"%s\", \"quantity\": %d, \"unitPrice\": %s}".formatted(
						skus.get(this.random.nextInt(skus.size())), 1 + this.random.nextInt(4), price.toPlainString()));
		}
		return "{\"customerId\": \"%s\", \"currency\": \"%s\", \"items\": [%s]}".formatted(customer, currency, items);
	}

	/** Places purchases from a few client threads, some retried with the same key; all must be accepted. */
	void placeAll(Ledger ledger, List<String> bodies, String keyPrefix, int retried) throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> placed = new ArrayList<>();
			for (int i = 0; i < bodies.size(); i++) {
				String body = bodies.get(i);
				String key = keyPrefix + "-" + i;
				boolean retry = i < retried;
				placed.add(clients.submit(() -> {
					Ledger.Purchase accepted = place(body, key);
					ledger.accept(accepted);
					if (retry) {
						// A client that never saw the answer tries again with the same key.
						assertThat(place(body, key).purchaseId()).isEqualTo(accepted.purchaseId());
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

	private boolean giveContact(String customer) {
		boolean address = Math.floorMod(customer.hashCode(), 5) != 4;
		String body = address ? "{\"email\": \"%s@customers.example\", \"confirmations\": true}".formatted(customer)
				: "{\"email\": null, \"confirmations\": true}";
		// As customer care's client would: a 503 (no replica ready for the moment, as while one
		// catches up after a start) or a lost connection is tried again, for a bounded time.
		await("the contact of " + customer + " given").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreException(java.io.IOException.class)
			.until(() -> {
				HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(gateway("/customers/" + customer + "/contact"))
					.timeout(Duration.ofSeconds(10))
					.header("Authorization", this.tokens.bearer(Tokens.CUSTOMER_CARE))
					.header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 503) {
					return false;
				}
				assertThat(response.statusCode()).as("contact of " + customer + ": " + response.body()).isEqualTo(200);
				return true;
			});
		return address;
	}

	/**
	 * The copies of each purchase's confirmation in its customer's inbox at the mail server, by
	 * purchase id (its text names the purchase).
	 */
	Map<String, Integer> confirmations(Ledger ledger) throws Exception {
		Map<String, Integer> copies = new HashMap<>();
		for (String customer : ledger.customers()) {
			if (!Boolean.TRUE.equals(this.contacts.get(customer))) {
				continue;
			}
			HttpResponse<String> inbox = inboxOf(customer);
			if (inbox.statusCode() != 200) {
				continue;
			}
			for (JsonNode message : JSON.readTree(inbox.body())) {
				String source = message.path("mimeMessage").asString();
				for (String purchaseId : ledger.idsOf(customer)) {
					if (source.contains("Purchase " + purchaseId)) {
						copies.merge(purchaseId, 1, Integer::sum);
					}
				}
			}
		}
		return copies;
	}

	/**
	 * A customer's inbox. A read whose connection is reset is tried again after a pause, on a
	 * connection of its own (a client of its own: none of the shared client's kept-alive ones);
	 * if every attempt fails, the failure says what the mail server's container logged.
	 */
	private HttpResponse<String> inboxOf(String customer) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.stack.mailPort() + "/api/user/" + customer
					+ "@customers.example/messages/"))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException first) {
			for (int attempt = 2; attempt <= 5; attempt++) {
				await("a pause before reading the inbox again").pollDelay(Duration.ofSeconds(1)).until(() -> true);
				HttpClient fresh = HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.connectTimeout(Duration.ofSeconds(5))
					.build();
				try {
					HttpResponse<String> response = fresh.send(request, HttpResponse.BodyHandlers.ofString());
					System.out.printf("The inbox of %s read at attempt %d, after: %s%n", customer, attempt, first);
					return response;
				}
				catch (IOException ex) {
					first.addSuppressed(ex);
				}
			}
			throw new IOException("The mail server did not answer for " + customer + "'s inbox in 5 attempts; it logged:\n"
					+ this.stack.logsOf("mail", 60), first);
		}
	}

	/** Whether the customer was given an address. */
	boolean hasAddress(String customer) {
		return Boolean.TRUE.equals(this.contacts.get(customer));
	}

	// Reading the subscribers

	/** A GET through the gateway, as operations (every read scope). */
	HttpResponse<String> get(String path) throws Exception {
		return get(path, this.tokens.bearer(Tokens.OPERATIONS));
	}

	/** A GET through the gateway with this {@code Authorization} (none when {@code null}). */
	HttpResponse<String> get(String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path)).timeout(Duration.ofSeconds(10)).GET();
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	URI gateway(String path) {
		return URI.create("http://localhost:" + this.stack.gatewayPort() + path);
	}

	/** The stock levels of some SKUs now; a SKU never seen starts with the documented defaults. */
	Map<String, JsonNode> stockLevels(List<String> skus) throws Exception {
		Map<String, JsonNode> levels = new HashMap<>();
		for (String sku : skus) {
			HttpResponse<String> level = get("/stock/" + sku);
			levels.put(sku, (level.statusCode() == 200) ? JSON.readTree(level.body())
					: JSON.readTree("{\"onHand\": 100, \"reorderPoint\": 20, \"reorderQuantity\": 100}"));
		}
		return levels;
	}

	/**
	 * Waits until each subscriber has applied every purchase of the ledger, then accounts for
	 * them: found once in each subscriber, customers' counts and totals, stock levels.
	 * @param initialStock the levels of the ledger's SKUs before its purchases
	 */
	Accounting awaitAndAccount(Ledger ledger, Map<String, JsonNode> initialStock, Duration timeout)
			throws Exception {
		Map<String, Instant> inHistory = new ConcurrentHashMap<>();
		Map<String, Instant> inStock = new ConcurrentHashMap<>();
		Map<String, Instant> inNotification = new ConcurrentHashMap<>();
		// First the system, cheaply: every group has committed the whole topic (one broker call per
		// group); that is the wait for the system. Then the harness reads every purchase back from
		// every subscriber: one pass over all of them, bounded by the requests' own timeouts (a
		// few thousand lookups through the gateway take a minute or more on these 2 cores, more
		// than any catching up), then a wait for whatever that pass did not find.
		await("every group caught up with the topic").atMost(timeout)
			.pollInterval(Duration.ofSeconds(2))
			.until(() -> {
				for (String group : GROUPS) {
					if (lagOf(group) > 0) {
						return false;
					}
				}
				return true;
			});
		long readBack = System.nanoTime();
		Callable<Boolean> allFound = () -> {
			lookUp(ledger, "purchase-history", inHistory);
			lookUp(ledger, "stock-replenishment", inStock);
			lookUp(ledger, "purchase-notification", inNotification);
			return inHistory.size() == ledger.size() && inStock.size() == ledger.size()
					&& inNotification.size() == ledger.size();
		};
		allFound.call();
		System.out.printf("Read %d purchases back from 3 subscribers in %d s%n", ledger.size(),
				TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - readBack));
		await("every accepted purchase applied by every subscriber").atMost(timeout)
			.pollInterval(Duration.ofSeconds(2))
			.until(allFound);
		Map<String, Integer> copies = confirmations(ledger);
		long emailsMissing = 0;
		long emailsExtra = 0;
		for (String purchaseId : ledger.ids()) {
			int count = copies.getOrDefault(purchaseId, 0);
			if (hasAddress(ledger.customerOf(purchaseId))) {
				emailsMissing += (count == 0) ? 1 : 0;
				emailsExtra += Math.max(0, count - 1);
			}
			else {
				emailsExtra += count;
			}
		}
		long emails = copies.values().stream().mapToLong(Integer::longValue).sum();
		long historyCount = 0;
		for (String customer : ledger.customers()) {
			JsonNode summary = getJson("/customers/" + customer + "/summary");
			historyCount += summary.get("purchaseCount").asLong();
			Map<String, BigDecimal> totals = new HashMap<>();
			summary.get("totalsByCurrency")
				.properties()
				.forEach((entry) -> totals.put(entry.getKey(), entry.getValue().decimalValue()));
			assertThat(totals).as(customer).hasSameSizeAs(ledger.totalsOf(customer));
			ledger.totalsOf(customer)
				.forEach((currency, total) -> assertThat(totals.get(currency)).as(customer + " " + currency)
					.isEqualByComparingTo(total));
		}
		long stockUnitsOff = 0;
		long expectedUnitsOff = 0;
		for (Map.Entry<String, Long> sold : ledger.unitsBySku().entrySet()) {
			long initial = initialStock.get(sold.getKey()).get("onHand").asLong();
			long now = getJson("/stock/" + sold.getKey()).get("onHand").asLong();
			stockUnitsOff += initial - now;
			expectedUnitsOff += sold.getValue();
		}
		return new Accounting(ledger.size(), inHistory.size(), historyCount - inHistory.size(), inStock.size(),
				stockUnitsOff - expectedUnitsOff, inNotification.size(), emails, emailsMissing, emailsExtra,
				Lag.of(ledger, inHistory), Lag.of(ledger, inStock));
	}

	/**
	 * Asks a subscriber, through the gateway, which of the ledger's purchases it applied; a
	 * lookup that gets no answer leaves its purchase to the next pass.
	 */
	private void lookUp(Ledger ledger, String group, Map<String, Instant> found) throws Exception {
		ExecutorService lookups = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> pending = new ArrayList<>();
			for (String purchaseId : ledger.ids()) {
				if (!found.containsKey(purchaseId)) {
					pending.add(lookups.submit(() -> {
						HttpResponse<String> response;
						try {
							response = get("/subscribers/" + group + "/purchases/" + purchaseId);
						}
						catch (IOException ex) {
							return null;
						}
						if (response.statusCode() == 200) {
							found.put(purchaseId, Instant.parse(JSON.readTree(response.body()).get("appliedAt").asString()));
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

	JsonNode getJson(String path) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	/**
	 * What was accepted against what each subscriber applied.
	 *
	 * @param accepted purchases the publisher accepted (distinct ids)
	 * @param inHistory of those, found in the history
	 * @param historyExtra purchases the history counts beyond those found (applied twice)
	 * @param inStock of those, taken off stock
	 * @param stockExtraUnits units taken off stock beyond what the purchases sold (twice, or lost if negative)
	 * @param inNotification of those, confirmed, skipped or failed by the notification service
	 * @param emails confirmations at the mail server
	 * @param emailsMissing purchases of customers with an address without a confirmation
	 * @param emailsExtra confirmations beyond one per purchase of a customer with an address
	 * @param historyLag POST accepted to recorded in the history
	 * @param stockLag POST accepted to taken off stock
	 */
	record Accounting(long accepted, long inHistory, long historyExtra, long inStock, long stockExtraUnits,
			long inNotification, long emails, long emailsMissing, long emailsExtra, Lag historyLag, Lag stockLag) {

		long lost() {
			return (this.accepted - this.inHistory) + (this.accepted - this.inStock)
					+ (this.accepted - this.inNotification) + this.emailsMissing;
		}

		boolean appliedTwice() {
			return this.historyExtra != 0 || this.stockExtraUnits != 0 || this.emailsExtra != 0;
		}

	}

	/** Percentiles of POST accepted (the client's clock) to applied (the subscriber's), in ms. */
	record Lag(long p50, long p99, long max) {

		static Lag of(Ledger ledger, Map<String, Instant> applied) {
			List<Long> lags = new ArrayList<>();
			applied.forEach((id, at) -> lags.add(Math.max(0, Duration.between(ledger.acceptedAt(id), at).toMillis())));
			if (lags.isEmpty()) {
				return new Lag(0, 0, 0);
			}
			lags.sort(Long::compare);
			return new Lag(lags.get((int) (lags.size() * 0.50)), lags.get(Math.min(lags.size() - 1, (int) (lags.size() * 0.99))),
					lags.get(lags.size() - 1));
		}

	}

	/**
	 * The requests a replica served on a path pattern, by its own metrics
	 * ({@code http_server_requests_seconds_count}, every status).
	 */
	long served(String container, String uriPattern) {
		String metrics = this.stack.insideReplica(container, "/actuator/prometheus");
		return Math.round(metrics.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_count{")
					&& line.contains("uri=\"" + uriPattern + "\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum());
	}

	/**
	 * The requests the gateway's load balancer sent to a replica's address so far, answered or
	 * not, by the gateway's own metrics.
	 */
	long sentByGatewayTo(String address) {
		String metrics = this.stack.insideReplica(this.stack.containers("api-gateway").get(0), "/actuator/prometheus");
		return Math.round(metrics.lines()
			.filter((line) -> line.startsWith("loadbalancer_requests_") && line.contains("_count{")
					&& line.contains("serviceInstance_host=\"" + address + "\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum());
	}

	// Kafka

	/** The rows of {@code kafka-consumer-groups.sh --describe}: group, topic, partition, ..., consumer id. */
	List<String[]> describe(String group) {
		// The broker's listener for the compose network: the host one advertises a host port.
		String output = this.stack.kafkaTool("kafka-consumer-groups.sh", "--describe", "--group", group);
		return output.lines()
			.map((line) -> line.strip().split("\\s+"))
			.filter((row) -> row.length >= 7 && row[0].equals(group) && row[1].equals("purchases.completed"))
			.toList();
	}

	/** Records of the purchases topic the group has not committed yet, on all its partitions. */
	long lagOf(String group) throws Exception {
		String topic = "purchases.completed";
		try (Admin admin = Admin.create(adminConfig())) {
			List<TopicPartition> partitions = partitionsOf(admin, topic);
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get(30, TimeUnit.SECONDS);
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			partitions.forEach((partition) -> latest.put(partition, OffsetSpec.latest()));
			Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
			long lag = 0;
			for (TopicPartition partition : partitions) {
				OffsetAndMetadata offset = committed.get(partition);
				lag += ends.get(partition).offset() - ((offset != null) ? offset.offset() : 0);
			}
			return lag;
		}
	}

	Set<String> membersOf(String group) {
		Set<String> members = new TreeSet<>();
		for (String[] row : describe(group)) {
			if (!row[6].equals("-")) {
				members.add(row[6]);
			}
		}
		return members;
	}

	private static List<TopicPartition> partitionsOf(Admin admin, String topic) throws Exception {
		return admin.describeTopics(List.of(topic))
			.allTopicNames()
			.get(30, TimeUnit.SECONDS)
			.get(topic)
			.partitions()
			.stream()
			.map((info) -> new TopicPartition(topic, info.partition()))
			.toList();
	}

	/** Records in a topic (end minus start offsets), as the broker reports them. */
	long records(String topic) throws Exception {
		try (Admin admin = Admin.create(adminConfig())) {
			List<TopicPartition> partitions = partitionsOf(admin, topic);
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
			partitions.forEach((partition) -> {
				latest.put(partition, OffsetSpec.latest());
				earliest.put(partition, OffsetSpec.earliest());
			});
			long end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
				.mapToLong((info) -> info.offset()).sum();
			long start = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).values().stream()
				.mapToLong((info) -> info.offset()).sum();
			return end - start;
		}
	}

	/** Records in each subscriber group's dead-letter topic. */
	DeadLetters deadLetters() throws Exception {
		return new DeadLetters(records("purchases.completed.purchase-history.dlt"),
				records("purchases.completed.stock-replenishment.dlt"),
				records("purchases.completed.purchase-notification.dlt"));
	}

	/**
	 * Records in the dead-letter topics of the history, stock and notification groups, or how
	 * many a scenario added.
	 */
	record DeadLetters(long history, long stock, long notification) {

		static final DeadLetters NONE = new DeadLetters(0, 0, 0);

		/** The same number in every group's. */
		static DeadLetters eachGroup(long count) {
			return new DeadLetters(count, count, count);
		}

		DeadLetters since(DeadLetters before) {
			return new DeadLetters(this.history - before.history, this.stock - before.stock,
					this.notification - before.notification);
		}

		@Override
		public String toString() {
			return this.history + " / " + this.stock + " / " + this.notification;
		}

	}

	/**
	 * The dead letters of a topic that carry a header, each one's {@code dlt-reason} by that
	 * header's value.
	 */
	Map<String, String> deadLetterReasons(String topic, String header) {
		Properties config = adminConfig();
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		Map<String, String> reasons = new TreeMap<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			Instant deadline = Instant.now().plusSeconds(60);
			while (Instant.now().isBefore(deadline) && partitions.stream().anyMatch((p) -> consumer.position(p) < end.get(p))) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					Header marker = record.headers().lastHeader(header);
					Header reason = record.headers().lastHeader("dlt-reason");
					if (marker != null) {
						reasons.put(new String(marker.value(), StandardCharsets.UTF_8),
								(reason != null) ? new String(reason.value(), StandardCharsets.UTF_8) : "");
					}
				}
			}
		}
		return reasons;
	}

	/** A client of the brokers with every right: the administrator on the secured cluster. */
	Properties adminConfig() {
		Properties config = new Properties();
		config.putAll(this.stack.kafkaClient("admin", "admin-secret"));
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
		return config;
	}

}
