package com.example.purchases.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access tokens from the stack's own authorization server, as the system's clients get them
 * (client credentials, the development secrets: the client id followed by {@code -secret}). Each
 * client's token is reused until a minute before it expires, as a calling service does.
 */
final class Tokens {

	/** Places purchases. */
	static final String CHECKOUT = "checkout";

	/** Reads every subscriber and replays dead letters. */
	static final String OPERATIONS = "operations";

	/** Reads the history. */
	static final String CUSTOMER_CARE = "customer-care";

	/** Reads stock and receives replenishments. */
	static final String WAREHOUSE = "warehouse";

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final URI endpoint;

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	Tokens(int authorizationServerPort) {
		this.endpoint = URI.create("http://localhost:" + authorizationServerPort + "/oauth2/token");
	}

	/** The {@code Authorization} header of the client. */
	String bearer(String client) {
		return "Bearer " + token(client);
	}

	String token(String client) {
		return this.tokens.compute(client, (name, token) -> (token != null
				&& token.expiresAt().isAfter(Instant.now().plus(Duration.ofMinutes(1)))) ? token : request(name))
			.value();
	}

	/** A new token of the client, with the answer as it came. */
	HttpResponse<String> request(String client, String secret) throws Exception {
		return this.http.send(HttpRequest.newBuilder(this.endpoint)
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private Token request(String client) {
		try {
			HttpResponse<String> response = request(client, client + "-secret");
			assertThat(response.statusCode()).as("a token for %s: %s", client, response.body()).isEqualTo(200);
			JsonNode answer = SystemUnderTest.JSON.readTree(response.body());
			return new Token(answer.get("access_token").asString(),
					Instant.now().plusSeconds(answer.get("expires_in").asLong()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("No token for " + client, ex);
		}
	}

	private record Token(String value, Instant expiresAt) {
	}

}
