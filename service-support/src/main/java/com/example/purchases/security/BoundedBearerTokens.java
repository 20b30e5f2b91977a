package com.example.purchases.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.util.unit.DataSize;

/**
 * Takes the bearer token from the {@code Authorization} header only (never from the query
 * string, where it would end up in access logs and browser histories), and refuses one larger
 * than {@code api-security.max-token-size} before it is parsed.
 * <p>
 * It accepts and refuses exactly what {@link DefaultBearerTokenResolver} does with its defaults
 * (RFC 6750's {@code Bearer b64token}), with the same errors, but reads the header once and checks
 * it with a loop: delegating to the default read it a second time through the firewall and matched
 * a regular expression over the whole token, together about 8 % of the publisher's CPU per request
 * at 128 connections (docs/benchmarks.md).
 */
class BoundedBearerTokens implements BearerTokenResolver {

	private static final String SCHEME = "bearer";

	private final long maxSize;

	BoundedBearerTokens(DataSize maxSize) {
		this.maxSize = maxSize.toBytes();
	}

	@Override
	public String resolve(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null) {
			return null;
		}
		if (authorization.length() > this.maxSize) {
			throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("The access token is too large"));
		}
		if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
			return null;
		}
		if (!isBearerCredentials(authorization)) {
			throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
		}
		return authorization.substring(SCHEME.length() + 1);
	}

	/**
	 * {@code Bearer} in any ASCII case, one space, then one or more of
	 * {@code A-Z a-z 0-9 - . _ ~ + /} followed by any number of {@code =}, and nothing else.
	 */
	private static boolean isBearerCredentials(String authorization) {
		int start = SCHEME.length() + 1;
		if (authorization.length() <= start || authorization.charAt(SCHEME.length()) != ' ') {
			return false;
		}
		for (int i = 0; i < SCHEME.length(); i++) {
			char c = authorization.charAt(i);
			if (c != SCHEME.charAt(i) && c != Character.toUpperCase(SCHEME.charAt(i))) {
				return false;
			}
		}
		int i = start;
		while (i < authorization.length() && isTokenCharacter(authorization.charAt(i))) {
			i++;
		}
		if (i == start) {
			return false;
		}
		while (i < authorization.length() && authorization.charAt(i) == '=') {
			i++;
		}
		return i == authorization.length();
	}

	private static boolean isTokenCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~' || c == '+' || c == '/';
	}

}
