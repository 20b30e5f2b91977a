package com.example.purchases.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.fail;

/**
 * The OpenAPI document a service serves, against the one checked into {@code docs/openapi}: an
 * endpoint, parameter or answer added, changed or removed fails its module's build until the
 * document in {@code docs/} says the same.
 */
public final class OpenApiDocuments {

	private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private OpenApiDocuments() {
	}

	/**
	 * Asks {@code /v3/api-docs} of the service on this port without a token (the document is public) and compares it, the
	 * test's own server address aside, with {@code ../docs/openapi/<service>.json}.
	 */
	public static void assertServedAsCheckedIn(int port, String service) throws IOException {
		String body = RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.build()
			.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		ObjectNode served = (ObjectNode) json.readTree(body);
		served.remove("servers");
		Path checkedIn = Path.of("..", "docs", "openapi", service + ".json");
		JsonNode expected = Files.exists(checkedIn) ? json.readTree(checkedIn.toFile()) : null;
		if (!served.equals(expected)) {
			Path written = Path.of("target", "openapi", service + ".json");
			Files.createDirectories(written.getParent());
			Files.writeString(written, json.writeValueAsString(served) + "\n");
			fail("%s serves an OpenAPI document other than %s: if the change is meant, copy %s over it",
					service, checkedIn.normalize(), written.toAbsolutePath());
		}
	}

}
