package com.example.purchases.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client's access token from the system's authorization server (client credentials), reused
 * until a minute before it expires, as a calling service does. The secret is the client's
 * development default unless {@code load.<client>-secret} says otherwise.
 */
final class ClientToken {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI endpoint;

	private final String client;

	private final String secret;

	private String token;

	private Instant renewAt = Instant.MIN;

	ClientToken(String tokenUrl, String client) {
		this.endpoint = URI.create(tokenUrl);
		this.client = client;
		this.secret = System.getProperty("load." + client + "-secret", client + "-secret");
	}

	/** The {@code Authorization} header. */
	synchronized String bearer() {
		if (Instant.now().isAfter(this.renewAt)) {
			renew();
		}
		return "Bearer " + this.token;
	}

	private void renew() {
		try {
			HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(this.endpoint)
				.header("Authorization", "Basic " + Base64.getEncoder()
					.encodeToString((this.client + ":" + this.secret).getBytes(StandardCharsets.UTF_8)))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("No token for " + this.client + " from " + this.endpoint + ": "
						+ response.statusCode() + " " + response.body());
			}
			JsonNode answer = JsonMapper.shared().readTree(response.body());
			this.token = answer.get("access_token").asString();
			this.renewAt = Instant.now().plusSeconds(answer.get("expires_in").asLong() - 60);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("No token for " + this.client + " from " + this.endpoint, ex);
		}
	}

}
