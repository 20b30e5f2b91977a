package com.example.purchases.authorization;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization server as its clients use it, over HTTP: the services' clients get tokens
 * with exactly their scopes, a wrong secret or scope gets none, and the operator of the live page
 * signs in with the authorization code flow and PKCE.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.security.user.password=test-password")
class AuthorizationServerTests {

	private static final String ISSUER = "http://localhost:9000";

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "checkout | purchases:write", "customer-care | history:read notifications:read notifications:write",
			"warehouse | stock:read stock:write", "operations | events:replay history:read stock:read notifications:read" })
	void issuesEachClientATokenWithAllItsScopesWhenItAsksForNone(String client, String scopes) throws Exception {
		HttpResponse<String> response = token(client, client + "-secret", null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode answer = this.json.readTree(response.body());
		assertThat(answer.get("token_type").asString()).isEqualTo("Bearer");

		SignedJWT token = SignedJWT.parse(answer.get("access_token").asString());
		assertThat(token.verify(new RSASSAVerifier(signingKey(token.getHeader().getKeyID())))).isTrue();
		assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);
		assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo(client);
		assertThat(token.getJWTClaimsSet().getStringListClaim("scope")).containsExactlyInAnyOrder(scopes.split(" "));
		assertThat(token.getJWTClaimsSet().getExpirationTime()).isAfter(token.getJWTClaimsSet().getIssueTime());
	}

	@Test
	void aClientGetsOnlyTheScopesItAsksForAndNoneItWasNotGranted() throws Exception {
		HttpResponse<String> narrower = token("warehouse", "warehouse-secret", "stock:read");
		assertThat(SignedJWT.parse(this.json.readTree(narrower.body()).get("access_token").asString())
			.getJWTClaimsSet()
			.getStringListClaim("scope")).containsExactly("stock:read");
		HttpResponse<String> wider = token("checkout", "checkout-secret", "purchases:write events:replay");
		assertThat(wider.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(wider.body()).get("error").asString()).isEqualTo("invalid_scope");
	}

	@Test
	void aWrongSecretOrAnUnknownClientGetsNoToken() throws Exception {
		assertThat(token("checkout", "warehouse-secret", null).statusCode()).isEqualTo(401);
		assertThat(token("nobody", "nobody-secret", null).statusCode()).isEqualTo(401);
		assertThat(token("event-flow-dashboard", "event-flow-dashboard-secret", null).statusCode()).isEqualTo(400);
	}

	@Test
	void publishesItsIssuerAndKeys() throws Exception {
		JsonNode configuration = this.json.readTree(get("/.well-known/openid-configuration").body());
		assertThat(configuration.get("issuer").asString()).isEqualTo(ISSUER);
		assertThat(configuration.get("jwks_uri").asString()).isEqualTo(ISSUER + "/oauth2/jwks");
		JWKSet keys = JWKSet.parse(get("/oauth2/jwks").body());
		assertThat(keys.getKeys()).singleElement().satisfies((key) -> assertThat(key.isPrivate()).isFalse());
	}

	@Test
	void theOperatorSignsInWithTheAuthorizationCodeAndPkce() throws Exception {
		HttpClient browser = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.cookieHandler(new CookieManager())
			.build();
		String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
		String challenge = Base64.getUrlEncoder().withoutPadding()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		String redirect = "http://localhost:8088/login/oauth2/code/event-flow-dashboard";
		String authorize = "/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id",
				"event-flow-dashboard", "scope", "openid", "state", "s-1", "nonce", "n-1", "redirect_uri", redirect,
				"code_challenge", challenge, "code_challenge_method", "S256"));

		HttpResponse<String> toSignIn = send(browser, HttpRequest.newBuilder(uri(authorize)).header("Accept", "text/html"));
		assertThat(toSignIn.statusCode()).isEqualTo(302);
		assertThat(toSignIn.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(location).endsWith("/login"));
		String page = send(browser, HttpRequest.newBuilder(uri("/login"))).body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(page);
		assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();

		HttpResponse<String> wrong = send(browser, HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", "operator", "password", "guess",
					"_csrf", csrf.group(1))))));
		assertThat(wrong.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(location).endsWith("/login?error"));
		HttpResponse<String> signedIn = send(browser, HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", "operator", "password", "test-password",
					"_csrf", csrf.group(1))))));
		String back = signedIn.headers().firstValue("Location").orElseThrow();
		HttpResponse<String> granted = send(browser, HttpRequest.newBuilder(URI.create(back)));
		String code = granted.headers().firstValue("Location").orElseThrow();
		assertThat(code).startsWith(redirect + "?code=").contains("state=s-1");

		HttpResponse<String> tokens = this.http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
			.header("Authorization", basic("event-flow-dashboard", "event-flow-dashboard-secret"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code",
					code.replaceAll(".*code=([^&]+).*", "$1"), "redirect_uri", redirect, "code_verifier", verifier))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(tokens.statusCode()).isEqualTo(200);
		SignedJWT idToken = SignedJWT.parse(this.json.readTree(tokens.body()).get("id_token").asString());
		assertThat(idToken.getJWTClaimsSet().getSubject()).isEqualTo("operator");
		assertThat(idToken.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-1");
		assertThat(idToken.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);
	}

	@Test
	void anAuthorizationRequestWithoutPkceIsRefused() throws Exception {
		String authorize = "/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id",
				"event-flow-dashboard", "scope", "openid", "state", "s-2", "redirect_uri",
				"http://localhost:8088/login/oauth2/code/event-flow-dashboard"));
		HttpResponse<String> response = get(authorize);
		assertThat(response.statusCode()).isIn(302, 400);
		if (response.statusCode() == 302) {
			assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
					(location) -> assertThat(location).contains("error=invalid_request"));
		}
	}

	@Test
	void servesHealthOnTheManagementPortAndNothingUnderActuatorOnItsOwn() throws Exception {
		HttpResponse<String> health = this.http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.managementPort + "/actuator/health/readiness"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health").statusCode()).isNotEqualTo(200);
	}

	@Test
	void signsWithTheMountedKeyWhenOneIsConfigured(@TempDir Path directory) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair pair = generator.generateKeyPair();
		Path pem = directory.resolve("signing-key.pem");
		Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n");
		try (ConfigurableApplicationContext mounted = new SpringApplicationBuilder(AuthorizationServerApplication.class)
			.run("--server.port=0", "--management.server.port=0", "--authorization.signing-key=file:" + pem)) {
			int port = Integer.parseInt(mounted.getEnvironment().getProperty("local.server.port"));
			HttpResponse<String> response = this.http.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + port + "/oauth2/token"))
				.header("Authorization", basic("checkout", "checkout-secret"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
				.build(), HttpResponse.BodyHandlers.ofString());
			SignedJWT token = SignedJWT.parse(this.json.readTree(response.body()).get("access_token").asString());
			assertThat(token.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
		}
	}

	private RSAKey signingKey(String keyId) throws Exception {
		return (RSAKey) JWKSet.parse(get("/oauth2/jwks").body()).getKeyByKeyId(keyId);
	}

	private HttpResponse<String> token(String client, String secret, String scope) throws IOException, InterruptedException {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		if (scope != null) {
			form.put("scope", scope);
		}
		return this.http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
			.header("Authorization", basic(client, secret))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(form)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
			throws IOException, InterruptedException {
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

}
