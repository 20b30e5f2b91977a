package com.example.purchases.publisher.purchase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.purchases.testing.EndpointWalk;
import com.example.purchases.testing.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Who may place a purchase: the endpoint walk, and every kind of token an attacker could try,
 * each refused with a {@code 401} and nothing published. Shares its context and broker with
 * {@link PurchasePublishingTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@AutoConfigureRestTestClient
class PublisherSecurityTests {

	private static final String PURCHASE = """
			{"customerId": "c-hostile", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": 1}]}""";

	@Value("${spring.kafka.bootstrap-servers}")
	String brokers;

	@Autowired
	ApplicationContext context;

	@LocalServerPort
	int port;

	@Autowired
	RestTestClient http;

	TopicProbe topic;

	@BeforeEach
	void watchTopic() {
		this.topic = new TopicProbe(this.brokers, "purchases.completed");
	}

	@AfterEach
	void closeProbe() {
		this.topic.close();
	}

	@Test
	void everyEndpointNeedsItsScope() {
		EndpointWalk.of(this.context)
			.expect("POST /purchases", "purchases:write")
			.expectAnonymous("GET /v3/api-docs")
			.expectAnonymous("GET /v3/api-docs.yaml")
			.expectAnonymous("GET /v3/api-docs/swagger-config")
			.expectAnonymous("GET /swagger-ui.html")
			.otherScopes("history:read", "stock:read", "stock:write", "events:replay")
			.walk();
	}

	@Test
	void refusesEveryHostileTokenWith401AndPublishesNothing() {
		TestIssuer issuer = TestIssuer.get();
		Instant now = Instant.now();
		String valid = issuer.token("purchases:write");
		String[] parts = valid.split("\\.");
		Map<String, String> tokens = new LinkedHashMap<>();
		tokens.put("expired", issuer.sign(issuer.claims("purchases:write")
			.issueTime(Date.from(now.minus(Duration.ofMinutes(20))))
			.notBeforeTime(Date.from(now.minus(Duration.ofMinutes(20))))
			.expirationTime(Date.from(now.minus(Duration.ofMinutes(5))))
			.build()));
		tokens.put("not yet valid", issuer.sign(issuer.claims("purchases:write")
			.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(5))))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
			.build()));
		tokens.put("another issuer", issuer.sign(issuer.claims("purchases:write").issuer("http://attacker.test").build()));
		tokens.put("another key", TestIssuer.sign(issuer.claims("purchases:write").build(), TestIssuer.generateKey()));
		tokens.put("another key under the issuer's key id",
				TestIssuer.sign(issuer.claims("purchases:write").build(), TestIssuer.generateKey(issuer.keyId())));
		tokens.put("alg none", unsigned(issuer.claims("purchases:write").build()));
		tokens.put("tampered (scope added)", parts[0] + "." + encode(
				issuer.claims("purchases:write", "events:replay").build().toString()) + "." + parts[2]);
		tokens.put("tampered (signature)", parts[0] + "." + parts[1] + "." + flipLast(parts[2]));
		tokens.put("no signature", parts[0] + "." + parts[1] + ".");
		tokens.put("not a JWT", "purchases:write");
		tokens.put("100 KB", "a".repeat(100 * 1024));

		assertSoftly((softly) -> tokens.forEach((kind, token) -> {
			var answer = this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.body(PURCHASE)
				.exchange()
				.returnResult(String.class);
			softly.assertThat(answer.getStatus().value()).as(kind).isEqualTo(401);
			softly.assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as(kind)
				.startsWith("Bearer error=\"invalid_token\"");
			softly.assertThat(answer.getResponseHeaders().getContentType()).as(kind)
				.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			softly.assertThat(answer.getResponseBody()).as(kind).doesNotContain("Exception", "Jwt", "nimbus", "at org.");
		}));
		// In the query string, where it would be logged: not looked at.
		this.http.post().uri("/purchases?access_token={token}", valid).contentType(MediaType.APPLICATION_JSON)
			.body(PURCHASE)
			.exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		// None published: a valid purchase afterwards is the only record since the probe started.
		this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + valid)
			.body(PURCHASE.replace("c-hostile", "c-marker"))
			.exchange()
			.expectStatus().isAccepted();
		assertThat(this.topic.await(2, Duration.ofSeconds(2))).singleElement()
			.satisfies((record) -> assertThat(record.key()).isEqualTo("c-marker"));
	}

	@Test
	void aTokenWithoutTheScopeIs403NamingTheScope() {
		this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestIssuer.get().token("history:read"))
			.body(PURCHASE)
			.exchange()
			.expectStatus().isForbidden()
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer error=\"insufficient_scope\", scope=\"purchases:write\"")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(403)
			.jsonPath("$.detail").isEqualTo("This request needs an access token with the scope 'purchases:write'.");
	}

	@Test
	void keepsNoSessionAndAnswersNoCrossOriginCaller() {
		var answer = this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestIssuer.get().token("purchases:write"))
			.header(HttpHeaders.ORIGIN, "https://elsewhere.test")
			.body(PURCHASE.replace("c-hostile", "c-cors"))
			.exchange()
			.returnResult(String.class);
		assertThat(answer.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
		assertThat(answer.getResponseHeaders().getAccessControlAllowOrigin()).isNull();
		this.http.options().uri("/purchases")
			.header(HttpHeaders.ORIGIN, "https://elsewhere.test")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.exchange()
			.expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
	}

	@Test
	void refusesAnEncodedPathWithAProblem() throws Exception {
		HttpResponse<String> rejected = HttpClient.newHttpClient().send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/purchases/%2e%2e/%25"))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TestIssuer.get().token("purchases:write"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(rejected.statusCode()).isEqualTo(400);
		assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(rejected.body()).contains("not accepted");
	}

	@Test
	void describesItselfAsAProtectedResourceOfTheIssuer() {
		this.http.get().uri("/.well-known/oauth-protected-resource").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.authorization_servers[0]").isEqualTo(TestIssuer.get().uri())
			.jsonPath("$.scopes_supported").isEqualTo(List.of("purchases:write"));
	}

	private static String unsigned(JWTClaimsSet claims) {
		return encode("{\"alg\":\"none\"}") + "." + encode(claims.toString()) + ".";
	}

	private static String encode(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private static String flipLast(String signature) {
		char last = signature.charAt(signature.length() - 2);
		return signature.substring(0, signature.length() - 2) + ((last == 'A') ? 'B' : 'A')
				+ signature.charAt(signature.length() - 1);
	}

}
