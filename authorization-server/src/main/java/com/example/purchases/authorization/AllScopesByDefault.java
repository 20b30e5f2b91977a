package com.example.purchases.authorization;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A client credentials request without {@code scope} is granted every scope of the client (the
 * "pre-defined default" of RFC 6749, section 3.3), rather than none: a service asks for a token
 * with its id and secret alone, and a token that can do nothing is never what it wants. A
 * request that names scopes still gets those only, and no more than the client's.
 */
class AllScopesByDefault implements AuthenticationConverter {

	private final OAuth2ClientCredentialsAuthenticationConverter request = new OAuth2ClientCredentialsAuthenticationConverter();

	@Override
	public Authentication convert(HttpServletRequest servletRequest) {
		Authentication converted = this.request.convert(servletRequest);
		if (converted instanceof OAuth2ClientCredentialsAuthenticationToken token && token.getScopes().isEmpty()
				&& token.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
				&& client.getRegisteredClient() != null) {
			return new OAuth2ClientCredentialsAuthenticationToken(client, client.getRegisteredClient().getScopes(),
					token.getAdditionalParameters());
		}
		return converted;
	}

}
