package com.example.purchases.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;
import org.springframework.util.unit.DataSize;

/**
 * Who may call what on a service's business port, under {@code api-security.*}: a request that
 * no rule matches is refused (deny by default), so that a new endpoint without a rule fails its
 * service's endpoint walk rather than going out open.
 *
 * @param rules the service's rules, first match wins
 * @param maxTokenSize a larger bearer token is refused before it is parsed (the system's tokens
 * are about 1 KB)
 * @param corsAllowedOrigins the browser origins that may call the API from another origin; none
 * by default (CORS closed)
 * @param verifiedTokens how many distinct access tokens are remembered as verified until they
 * expire, so that a caller's token is checked once, not on every request; 0 verifies every
 * request's token in full
 */
@ConfigurationProperties("api-security")
public record ApiSecurityProperties(@DefaultValue List<Rule> rules, @DefaultValue("8KB") DataSize maxTokenSize,
		@DefaultValue List<String> corsAllowedOrigins, @DefaultValue("1000") long verifiedTokens) {

	/**
	 * One rule.
	 *
	 * @param paths the path patterns it covers ({@code /customers/{id}/purchases},
	 * {@code /stock/**})
	 * @param methods the methods it covers; all when empty
	 * @param scope the OAuth 2 scope a token must carry ({@code purchases:write}); without one,
	 * any valid token will do
	 * @param anonymous no token needed (documents, never data)
	 */
	public record Rule(List<String> paths, @DefaultValue List<HttpMethod> methods, String scope,
			boolean anonymous) {

		public Rule {
			if (paths == null || paths.isEmpty()) {
				throw new IllegalArgumentException("An api-security rule needs at least one path");
			}
			if (anonymous && scope != null) {
				throw new IllegalArgumentException(
						"The api-security rule for " + paths + " is anonymous and needs scope " + scope + ": choose one");
			}
		}

	}

}
