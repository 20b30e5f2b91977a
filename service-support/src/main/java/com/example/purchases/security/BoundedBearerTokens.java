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
 */
class BoundedBearerTokens implements BearerTokenResolver {

	private final DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();

	private final long maxSize;

	BoundedBearerTokens(DataSize maxSize) {
		this.maxSize = maxSize.toBytes();
	}

	@Override
	public String resolve(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.length() > this.maxSize) {
			throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("The access token is too large"));
		}
		return this.header.resolve(request);
	}

}
