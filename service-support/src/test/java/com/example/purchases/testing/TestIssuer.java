package com.example.purchases.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The token issuer of the services' own tests: an RSA key, its JWK set served over HTTP on
 * loopback as the authorization server serves its own, and access tokens shaped like the
 * authorization server's ({@code iss}, {@code sub} and {@code aud} the client, {@code scope},
 * {@code iat}, {@code nbf}, {@code exp}, {@code jti}). Every Spring test context of a module
 * with this test-jar validates tokens against it ({@link Properties}), through the service's real
 * resource server: only the issuing is stood in for. The authorization server itself is tested
 * in its own module and, with every service, by the end-to-end suite.
 */
public final class TestIssuer {

	private static final TestIssuer INSTANCE = new TestIssuer();

	private final RSAKey key;

	private final HttpServer server;

	private final String uri;

	private TestIssuer() {
		this.key = generateKey();
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		byte[] keys = new JWKSet(this.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		this.server.createContext("/oauth2/jwks", (exchange) -> {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, keys.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(keys);
			}
		});
		this.server.start();
		this.uri = "http://127.0.0.1:" + this.server.getAddress().getPort();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> this.server.stop(0), "test-issuer-stop"));
	}

	public static TestIssuer get() {
		return INSTANCE;
	}

	/**
	 * The issuer's URL: the {@code iss} of its tokens.
	 */
	public String uri() {
		return this.uri;
	}

	/**
	 * A token of a client that was granted these scopes, valid for five minutes.
	 */
	public String token(String... scopes) {
		return sign(claims(scopes).build());
	}

	/**
	 * The client, sending a token with these scopes on every request.
	 */
	public RestTestClient authorize(RestTestClient client, String... scopes) {
		String token = token(scopes);
		return client.mutate().defaultHeaders((headers) -> headers.setBearerAuth(token)).build();
	}

	/**
	 * A client of a port on loopback (such as the management port), sending a token with these
	 * scopes on every request, or none without scopes.
	 */
	public RestTestClient client(int port, String... scopes) {
		RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
		return (scopes.length == 0) ? client : authorize(client, scopes);
	}

	/**
	 * The claims of a valid token, to be changed by a test before it signs them.
	 */
	public JWTClaimsSet.Builder claims(String... scopes) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(this.uri)
			.subject("test-client")
			.audience("test-client")
			.claim("scope", List.of(scopes))
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
			.jwtID(UUID.randomUUID().toString());
	}

	/**
	 * The claims, signed with the issuer's key.
	 */
	public String sign(JWTClaimsSet claims) {
		return sign(claims, this.key);
	}

	/**
	 * The claims, signed with another key (which the services do not know).
	 */
	public static String sign(JWTClaimsSet claims, RSAKey key) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The id of the issuer's key ({@code kid}).
	 */
	public String keyId() {
		return this.key.getKeyID();
	}

	/**
	 * A new RSA key, such as the authorization server generates.
	 */
	public static RSAKey generateKey() {
		return generateKey(UUID.randomUUID().toString());
	}

	/**
	 * A new RSA key with this id (the issuer's, for a forgery).
	 */
	public static RSAKey generateKey(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Points every test context's resource server at the test issuer (registered in the
	 * test-jar's {@code META-INF/spring.factories}).
	 */
	public static final class Properties implements ContextCustomizerFactory, ContextCustomizer {

		@Override
		public ContextCustomizer createContextCustomizer(Class<?> testClass,
				List<ContextConfigurationAttributes> configAttributes) {
			return this;
		}

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			TestIssuer issuer = TestIssuer.get();
			TestPropertyValues
				.of("spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.uri(),
						"spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer.uri() + "/oauth2/jwks")
				.applyTo(context);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Properties;
		}

		@Override
		public int hashCode() {
			return Objects.hash(Properties.class);
		}

	}

}
