package com.example.purchases.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.testing.TestIssuer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as clients use it, in front of stand-in replicas on loopback (two of the history
 * service, one of the publisher, one of stock): routing by path, the spread over replicas and
 * their readiness, retries only where they are safe, errors as problems, the status of a purchase
 * across subscribers, and per-route metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "gateway.replicas.refresh-interval=200ms",
		"gateway.replicas.health-timeout=300ms", "gateway.replicas.late-grace=3s", "gateway.status.timeout=1s" })
class ApiGatewayTests {

	static final Replica history1 = replica("history-1");

	static final Replica history2 = replica("history-2");

	static final Replica publisher = replica("publisher");

	static final Replica stock = replica("stock");

	static final Replica notification = replica("notification");

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final JsonMapper json = JsonMapper.builder().build();

	/** A client's token: the gateway asks for a valid one, each service for its scope. */
	private final String token = TestIssuer.get().token("history:read", "stock:read");

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void replicas(DynamicPropertyRegistry registry) {
		registry.add("gateway.replicas.addresses.purchase-history-subscriber[0]", history1::address);
		registry.add("gateway.replicas.addresses.purchase-history-subscriber[1]", history2::address);
		registry.add("gateway.replicas.addresses.purchase-publisher[0]", publisher::address);
		registry.add("gateway.replicas.addresses.stock-replenishment-subscriber[0]", stock::address);
		registry.add("gateway.replicas.addresses.purchase-notification-subscriber[0]", notification::address);
	}

	@BeforeEach
	@AfterEach
	void everyReplicaReady() {
		for (Replica replica : List.of(history1, history2, publisher, stock, notification)) {
			replica.ready(true);
			replica.answerReadinessAfter(Duration.ZERO);
			replica.dropConnections(false);
			replica.release();
		}
	}

	@AfterAll
	static void stopReplicas() {
		List.of(history1, history2, publisher, stock, notification).forEach(Replica::close);
	}

	@Test
	void routesEachPathToTheServiceThatOwnsIt() throws Exception {
		assertThat(get("/stock/SKU-1").body()).contains("stock");
		assertThat(get("/replenishments?status=OPEN").body()).contains("stock");
		assertThat(get("/customers/c-1/summary").body()).contains("history");
		assertThat(get("/customers/c-1/notifications").body()).contains("notification");
		assertThat(get("/customers/c-1/contact").body()).contains("notification");
		assertThat(post("/purchases", "{}", null).body()).contains("publisher");
		UUID purchase = UUID.randomUUID();
		assertThat(get("/subscribers/stock-replenishment/purchases/" + purchase).statusCode()).isEqualTo(404);
		assertThat(stock.requests).anySatisfy((request) -> assertThat(request.uri()).isEqualTo("/purchases/" + purchase));
		HttpResponse<String> unknown = get("/nothing/here");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertProblem(unknown);
	}

	@Test
	void aRequestWithoutAValidTokenStopsHere() throws Exception {
		int before = history1.served.get() + history2.served.get();
		String forged = TestIssuer.sign(TestIssuer.get().claims("history:read").build(), TestIssuer.generateKey());
		for (String token : new String[] { null, forged, "not-a-token" }) {
			HttpResponse<String> refused = get("/customers/c-1/summary", token);
			assertThat(refused.statusCode()).isEqualTo(401);
			assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
					(challenge) -> assertThat(challenge).startsWith("Bearer"));
			assertProblem(refused);
		}
		assertThat(get("/purchases/" + UUID.randomUUID() + "/status", null).statusCode()).isEqualTo(401);
		assertThat(history1.served.get() + history2.served.get()).isEqualTo(before);
	}

	@Test
	void passesTheCallersTokenOnForTheServiceToCheckItsScope() throws Exception {
		String scopeless = TestIssuer.get().token();
		assertThat(get("/stock/SKU-1", scopeless).statusCode()).isEqualTo(200);
		assertThat(stock.requests.get(stock.requests.size() - 1).authorization()).isEqualTo("Bearer " + scopeless);
	}

	@Test
	void spreadsRequestsOverEveryReadyReplica() throws Exception {
		int before1 = history1.served.get();
		int before2 = history2.served.get();
		for (int i = 0; i < 100; i++) {
			assertThat(get("/customers/c-" + i + "/purchases").statusCode()).isEqualTo(200);
		}
		// Kept-alive connections, and still one request in turn to each.
		assertThat(history1.served.get() - before1).isBetween(40, 60);
		assertThat(history2.served.get() - before2).isBetween(40, 60);
	}

	@Test
	void aReplicaThatIsNotReadyGetsNoRequestsUntilItIsAgain() throws Exception {
		history2.ready(false);
		awaitOnlyServedBy(history1);
		int before = history2.served.get();
		for (int i = 0; i < 20; i++) {
			assertThat(get("/customers/c-1/summary").statusCode()).isEqualTo(200);
		}
		assertThat(history2.served.get()).isEqualTo(before);

		history2.ready(true);
		awaitServedAgainBy(history2);
	}

	@Test
	void aReplicaTooBusyToAnswerItsCheckInTimeKeepsItsShareForTheGraceOnly() throws Exception {
		history2.answerReadinessAfter(Duration.ofSeconds(1));
		Instant late = Instant.now();
		// Late checks every half second, and well within the 3 s grace both replicas serve in turn.
		int servedLate = 0;
		while (Duration.between(late, Instant.now()).compareTo(Duration.ofSeconds(2)) < 0) {
			boolean pastSeveralChecks = Duration.between(late, Instant.now()).compareTo(Duration.ofMillis(1500)) > 0;
			if (get("/customers/c-1/summary").body().contains(history2.name) && pastSeveralChecks) {
				servedLate++;
			}
		}
		assertThat(servedLate).isPositive();
		// Late for longer than the grace: out of the rotation.
		awaitOnlyServedBy(history1);
		assertThat(Duration.between(late, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));

		history2.answerReadinessAfter(Duration.ZERO);
		awaitServedAgainBy(history2);
	}

	@Test
	void theLastReplicaTooBusyToAnswerItsCheckInTimeKeepsServing() {
		stock.answerReadinessAfter(Duration.ofSeconds(1));
		// Past the 3 s grace and on: a slow answer rather than a certain 503.
		await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
			.until(() -> get("/stock/SKU-1").statusCode() == 200);
	}

	@Test
	void noReadyReplicaIsA503ProblemWithRetryAfter() throws Exception {
		stock.ready(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> get("/stock/SKU-1").statusCode() == 503);
		HttpResponse<String> response = get("/stock/SKU-1");
		assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
		assertProblem(response);
		assertThat(this.json.readTree(response.body()).get("title").asString()).isEqualTo("Service unavailable");
	}

	@Test
	void aReadLostWithItsReplicaIsRetriedOnAnother() throws Exception {
		history2.dropConnections(true);
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> response = get("/customers/c-" + i + "/summary");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("history-1");
		}
	}

	@Test
	void aPurchaseLostWithItsReplicaIsRetriedOnlyWithAnIdempotencyKey() throws Exception {
		publisher.dropConnections(true);
		int before = publisher.served.get();
		HttpResponse<String> unkeyed = post("/purchases", "{\"customerId\":\"c-1\"}", null);
		assertThat(unkeyed.statusCode()).isEqualTo(502);
		assertProblem(unkeyed);
		assertThat(publisher.served.get() - before).isOne();

		before = publisher.served.get();
		HttpResponse<String> keyed = post("/purchases", "{\"customerId\":\"c-1\"}", "order-1");
		assertThat(keyed.statusCode()).isEqualTo(502);
		// Sent again, with the same body: the publisher derives the same ids from the key.
		assertThat(publisher.served.get() - before).isEqualTo(3);
		assertThat(publisher.requests.subList(publisher.requests.size() - 3, publisher.requests.size()))
			.allSatisfy((request) -> assertThat(request.body()).isEqualTo("{\"customerId\":\"c-1\"}"));
	}

	@Test
	void refusesBodiesOverTheLimitWithA413Problem() throws Exception {
		int before = publisher.served.get();
		String large = "{\"notes\":\"" + "x".repeat(70 * 1024) + "\"}";
		HttpResponse<String> declared = post("/purchases", large, null);
		assertThat(declared.statusCode()).isEqualTo(413);
		assertProblem(declared);
		HttpResponse<String> chunked = this.http.send(HttpRequest.newBuilder(uri("/purchases"))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + this.token)
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(large.getBytes())))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(chunked.statusCode()).isEqualTo(413);
		assertProblem(chunked);
		assertThat(publisher.served.get()).isEqualTo(before);
	}

	@Test
	void theStatusOfAPurchaseSaysWhatEachSubscriberKnows() throws Exception {
		UUID id = UUID.randomUUID();
		String applied = "{\"id\":\"" + id + "\",\"appliedAt\":\"2026-11-29T10:00:00Z\",\"traceId\":\"abc\"}";
		history1.answer("/purchases/" + id, 200, applied);
		history2.answer("/purchases/" + id, 200, applied);
		stock.answer("/purchases/" + id, 404, "{\"title\":\"Not applied\"}");
		notification.answer("/purchases/" + id, 404, "{\"title\":\"Not applied\"}");

		JsonNode status = this.json.readTree(get("/purchases/" + id + "/status").body());

		assertThat(status.get("purchaseId").asString()).isEqualTo(id.toString());
		assertThat(status.get("subscribers").toString()).isEqualTo("[{\"group\":\"purchase-history\",\"state\":\"APPLIED\","
				+ "\"appliedAt\":\"2026-11-29T10:00:00Z\",\"traceId\":\"abc\"},"
				+ "{\"group\":\"stock-replenishment\",\"state\":\"NOT_APPLIED\"},"
				+ "{\"group\":\"purchase-notification\",\"state\":\"NOT_APPLIED\"}]");
		// Each subscriber was asked with the caller's token.
		assertThat(stock.requests.get(stock.requests.size() - 1).authorization()).isEqualTo("Bearer " + this.token);
	}

	@Test
	void aSubscriberTheTokenMayNotReadIsUnknownWithTheReason() throws Exception {
		UUID id = UUID.randomUUID();
		stock.answer("/purchases/" + id, 403, "{\"title\":\"Forbidden\"}");
		history1.answer("/purchases/" + id, 404, "{}");
		history2.answer("/purchases/" + id, 404, "{}");
		JsonNode subscribers = this.json.readTree(get("/purchases/" + id + "/status").body()).get("subscribers");
		assertThat(subscribers.get(0).get("state").asString()).isEqualTo("NOT_APPLIED");
		assertThat(subscribers.get(1).get("state").asString()).isEqualTo("UNKNOWN");
		assertThat(subscribers.get(1).get("reason").asString()).isEqualTo("the access token may not read it (403)");
	}

	@Test
	void aSubscriberThatDoesNotAnswerInTimeIsUnknownNotAnErrorOfTheWhole() throws Exception {
		UUID id = UUID.randomUUID();
		stock.hold();
		HttpResponse<String> response = get("/purchases/" + id + "/status");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode subscribers = this.json.readTree(response.body()).get("subscribers");
		assertThat(subscribers.get(0).get("state").asString()).isEqualTo("NOT_APPLIED");
		assertThat(subscribers.get(1).get("state").asString()).isEqualTo("UNKNOWN");
		assertThat(subscribers.get(1).get("reason").asString()).contains("no answer within");
	}

	@Test
	void startsOrContinuesTheTraceAndPassesItOn() throws Exception {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		this.http.send(HttpRequest.newBuilder(uri("/stock/SKU-9"))
			.header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
			.header("Authorization", "Bearer " + this.token)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		get("/stock/SKU-8");
		List<Replica.Request> last = stock.requests.subList(stock.requests.size() - 2, stock.requests.size());
		assertThat(last.get(0).traceparent()).startsWith("00-" + traceId + "-");
		assertThat(last.get(1).traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
	}

	@Test
	void countsRequestsAndLatencyPerRoute() throws Exception {
		get("/stock/SKU-1");
		String metrics = this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort
				+ "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
		assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"stock\"[^}]*status=\"200\"");
		assertThat(metrics).contains("http_server_requests_seconds_bucket{");
	}

	/** Two requests in a row: one of them is the replica's turn once it is back in the rotation. */
	private void awaitServedAgainBy(Replica replica) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			int now = replica.served.get();
			get("/customers/c-1/summary");
			get("/customers/c-1/summary");
			return replica.served.get() > now;
		});
	}

	private void awaitOnlyServedBy(Replica replica) {
		await().atMost(Duration.ofSeconds(10)).until(() -> IntStream.range(0, 6).allMatch((i) -> {
			try {
				return get("/customers/c-1/summary").body().contains(replica.name);
			}
			catch (Exception ex) {
				return false;
			}
		}));
	}

	private void assertProblem(HttpResponse<String> response) {
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
		assertThat(response.body()).doesNotContain("Exception", "java.", "springframework");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return get(path, this.token);
	}

	private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body, String idempotencyKey)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + this.token)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static Replica replica(String name) {
		try {
			return new Replica(name);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
