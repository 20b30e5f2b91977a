package com.example.purchases.e2e;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.example.purchases.e2e.ComposeStackExtension.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Security as an outsider on the same machine meets it, with tokens from the stack's own
 * authorization server: no door opens without the token it needs, operations are not on any
 * published port, and the containers run with no more than they need.
 */
@Stack("docker-compose.yml")
@Order(1)
class SecurityEndToEndTests {

	private static final String PURCHASE = """
			{"customerId": "c-sec", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": 1}]}""";

	private static final List<String> SERVICES = List.of("authorization-server", "purchase-publisher",
			"purchase-history-subscriber", "stock-replenishment-subscriber", "api-gateway", "event-flow-dashboard");

	private static SystemUnderTest system;

	@BeforeAll
	static void start(SystemUnderTest started) {
		system = started;
	}

	@Test
	void eachClientOpensOnlyItsOwnDoors() throws Exception {
		Tokens tokens = system.tokens;
		assertSoftly((softly) -> {
			try {
				// Reading the history: customer-care and operations, nobody else.
				softly.assertThat(status("/customers/c-sec/summary", null)).isEqualTo(401);
				softly.assertThat(status("/customers/c-sec/summary", tokens.bearer(Tokens.CHECKOUT))).isEqualTo(403);
				softly.assertThat(status("/customers/c-sec/summary", tokens.bearer(Tokens.WAREHOUSE))).isEqualTo(403);
				softly.assertThat(status("/customers/c-sec/summary", tokens.bearer(Tokens.CUSTOMER_CARE))).isIn(200, 404);
				// Stock: the warehouse and operations.
				softly.assertThat(status("/stock/SKU-1", tokens.bearer(Tokens.CUSTOMER_CARE))).isEqualTo(403);
				softly.assertThat(status("/stock/SKU-1", tokens.bearer(Tokens.WAREHOUSE))).isEqualTo(200);
				softly.assertThat(status("/stock/SKU-1", tokens.bearer(Tokens.OPERATIONS))).isEqualTo(200);
				// Placing a purchase: checkout only.
				for (String client : List.of(Tokens.WAREHOUSE, Tokens.CUSTOMER_CARE, Tokens.OPERATIONS)) {
					softly.assertThat(system.post(PURCHASE, "application/json", Map.of("Authorization", tokens.bearer(client)))
						.statusCode()).as(client).isEqualTo(403);
				}
				softly.assertThat(system.post(PURCHASE, "application/json", Map.of()).statusCode()).isEqualTo(202);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	@Test
	void aRefusalIsAProblemWithABearerChallengeAndNoInternals() throws Exception {
		HttpResponse<String> refused = system.get("/customers/c-sec/summary", "Bearer " + "e30.e30.e30");
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""));
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.body()).doesNotContain("Exception", "nimbus", "springframework");
		HttpResponse<String> forbidden = system.get("/stock/SKU-1", system.tokens.bearer(Tokens.CHECKOUT));
		assertThat(forbidden.headers().firstValue("WWW-Authenticate"))
			.hasValue("Bearer error=\"insufficient_scope\", scope=\"stock:read\"");
	}

	@Test
	void aWrongSecretGetsNoToken() throws Exception {
		assertThat(system.tokens.request(Tokens.CHECKOUT, "guess").statusCode()).isEqualTo(401);
	}

	@Test
	void onlyOperationsReplayDeadLettersOnAPortNoHostPublishes() {
		String history = system.stack.containers("purchase-history-subscriber").get(0);
		String anonymous = system.stack.insideReplica(history, "/actuator/deadletters", "Bearer none", true);
		assertThat(anonymous).contains("\"status\":401");
		String checkout = system.stack.insideReplica(history, "/actuator/deadletters",
				system.tokens.bearer(Tokens.CHECKOUT), true);
		assertThat(checkout).contains("\"status\":403");
		JsonNode replayed = SystemUnderTest.JSON.readTree(system.stack.insideReplica(history, "/actuator/deadletters",
				system.tokens.bearer(Tokens.OPERATIONS), true));
		assertThat(replayed.has("replayed")).as(replayed.toString()).isTrue();
		// The health of a replica says "UP" to anyone on the network, its details to operations only.
		assertThat(system.stack.insideReplica(history, "/actuator/health")).doesNotContain("components");
		assertThat(system.stack.insideReplica(history, "/actuator/health", system.tokens.bearer(Tokens.OPERATIONS), false))
			.contains("\"db\"", "\"kafka\"");
	}

	@Test
	void publishesOnlyTheEntryPointsAndOnlyOnLoopback() {
		for (String service : SERVICES) {
			for (String container : system.stack.containers(service)) {
				JsonNode ports = SystemUnderTest.JSON.readTree(system.stack.inspect(container)).get(0)
					.get("NetworkSettings").get("Ports");
				ports.properties().forEach((port) -> {
					JsonNode bindings = port.getValue();
					if (bindings == null || bindings.isNull()) {
						return;
					}
					assertThat(port.getKey()).as(container + " publishes").isNotEqualTo("8081/tcp");
					assertThat(service).as(container + " publishes " + port.getKey())
						.isIn("api-gateway", "authorization-server", "event-flow-dashboard");
					bindings.values().forEach((binding) -> assertThat(binding.get("HostIp").asString())
						.as(container + " " + port.getKey()).isEqualTo("127.0.0.1"));
				});
			}
		}
	}

	@Test
	void runsEveryServiceAsNonRootWithAReadOnlyFilesystemAndNoCapabilities() {
		for (String service : SERVICES) {
			String container = system.stack.containers(service).get(0);
			JsonNode inspected = SystemUnderTest.JSON.readTree(system.stack.inspect(container)).get(0);
			JsonNode host = inspected.get("HostConfig");
			assertThat(inspected.get("Config").get("User").asString()).as(service).isNotIn("", "root", "0");
			assertThat(host.get("ReadonlyRootfs").asBoolean()).as(service).isTrue();
			assertThat(host.get("CapDrop").toString()).as(service).contains("ALL");
			assertThat(host.get("SecurityOpt").toString()).as(service).contains("no-new-privileges");
			// No secret baked into an image: they come from the environment at run time.
			String image = inspected.get("Config").get("Image").asString();
			assertThat(system.stack.inspect(image)).as(image).doesNotContainIgnoringCase("secret");
		}
	}

	private static int status(String path, String authorization) throws Exception {
		return system.get(path, authorization).statusCode();
	}

}
