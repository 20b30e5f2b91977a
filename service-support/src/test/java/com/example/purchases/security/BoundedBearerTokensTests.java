package com.example.purchases.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The service's resolver takes and refuses exactly the {@code Authorization} headers that Spring
 * Security's default resolver does, with the same errors, and refuses a token over the size bound
 * before anything else.
 */
class BoundedBearerTokensTests {

	private final BoundedBearerTokens tokens = new BoundedBearerTokens(DataSize.ofKilobytes(8));

	private final DefaultBearerTokenResolver byDefault = new DefaultBearerTokenResolver();

	@Test
	void theHeadersOfRfc6750AreResolvedAsByTheDefault() {
		List<String> headers = List.of("Bearer abc", "bearer abc", "BEARER abc", "bEaReR a-._~+/Z09==",
				"Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "Bearer abc=", "Bearer abc=x", "Bearer =", "Bearer ",
				"Bearer", "Bearer  abc", "Bearer\tabc", "Bearer abc ", "Bearerabc", "Bearer a\nb", "Bearer a\u00E9",
				"Basic dXNlcjpwYXNz", "Token abc", "", " Bearer abc", "Bearer \u212Abc", "Be\u0430rer abc");
		for (String header : headers) {
			assertSameOutcome(header);
		}
		assertThat(resolve(this.tokens, "Bearer abc")).isEqualTo("abc");
	}

	@Test
	void generatedHeadersAreResolvedAsByTheDefault() {
		Random random = new Random(16);
		String alphabet = "Bbearer BEARER=-._~+/aZ09 \t\n=%\u00E9\u212A\u0130\u0131";
		List<String> prefixes = List.of("", "Bearer ", "bearer ", "Bearer", "BEARER  ", "Basic ");
		int resolved = 0;
		for (int n = 0; n < 20_000; n++) {
			StringBuilder header = new StringBuilder(prefixes.get(random.nextInt(prefixes.size())));
			int length = random.nextInt(12);
			for (int i = 0; i < length; i++) {
				header.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			resolved += assertSameOutcome(header.toString()) ? 1 : 0;
		}
		// Both outcomes occur: the comparison is not between two refusals.
		assertThat(resolved).isBetween(500, 19_500);
	}

	@Test
	void aTokenOverTheBoundIsRefusedBeforeItIsParsed() {
		String fits = "Bearer " + "a".repeat(8 * 1024 - 7);
		assertThat(resolve(this.tokens, fits)).hasSize(8 * 1024 - 7);
		assertThatExceptionOfType(OAuth2AuthenticationException.class)
			.isThrownBy(() -> resolve(this.tokens, fits + "a"))
			.satisfies((ex) -> assertThat(ex.getError().getDescription()).isEqualTo("The access token is too large"));
		assertThatExceptionOfType(OAuth2AuthenticationException.class)
			.isThrownBy(() -> resolve(this.tokens, "Basic " + "a".repeat(8 * 1024)))
			.satisfies((ex) -> assertThat(ex.getError().getDescription()).isEqualTo("The access token is too large"));
	}

	@Test
	void aTokenInTheQueryStringIsNotTaken() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/purchases");
		request.setQueryString("access_token=abc");
		request.addParameter("access_token", "abc");
		assertThat(this.tokens.resolve(request)).isNull();
	}

	/** Whether the header was resolved to a token (by both). */
	private boolean assertSameOutcome(String header) {
		Object expected = outcome(this.byDefault::resolve, header);
		Object actual = outcome(this.tokens::resolve, header);
		assertThat(actual).as("Authorization: %s", header).isEqualTo(expected);
		return expected instanceof String;
	}

	private static Object outcome(Resolver resolver, String header) {
		try {
			return resolver.resolve(request(header));
		}
		catch (OAuth2AuthenticationException ex) {
			OAuth2Error error = ex.getError();
			return new ArrayList<>(List.of(error.getErrorCode(), String.valueOf(error.getDescription())));
		}
	}

	private static String resolve(BoundedBearerTokens tokens, String header) {
		return tokens.resolve(request(header));
	}

	private static MockHttpServletRequest request(String header) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/purchases");
		request.addHeader("Authorization", header);
		return request;
	}

	private interface Resolver {

		String resolve(jakarta.servlet.http.HttpServletRequest request);

	}

}
