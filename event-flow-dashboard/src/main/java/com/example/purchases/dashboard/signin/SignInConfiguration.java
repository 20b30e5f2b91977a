package com.example.purchases.dashboard.signin;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The live page and its JSON API are for a signed-in operator: a browser is sent to sign in at
 * the authorization server (OpenID Connect, authorization code with PKCE), the page's own
 * requests without a session get a {@code 401}. The management port serves health, info and
 * Prometheus only.
 */
@Configuration(proxyBeanMethods = false)
class SignInConfiguration {

	@Bean
	SecurityFilterChain signedInOperator(HttpSecurity http, ClientRegistrationRepository registrations) {
		http.authorizeHttpRequests((authorize) -> authorize
			.requestMatchers(EndpointRequest.to("health", "info", "prometheus"))
			.permitAll()
			.requestMatchers(EndpointRequest.toAnyEndpoint())
			.denyAll()
			.anyRequest()
			.authenticated());
		// PKCE for this confidential client too, as OAuth 2.1 asks and the authorization server requires.
		DefaultOAuth2AuthorizationRequestResolver requests = new DefaultOAuth2AuthorizationRequestResolver(registrations,
				OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
		requests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
		http.oauth2Login((login) -> login.authorizationEndpoint((endpoint) -> endpoint.authorizationRequestResolver(requests)));
		http.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
				new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
				PathPatternRequestMatcher.withDefaults().matcher("/api/**")));
		return http.build();
	}

	/**
	 * The ID token must come from the issuer the resource servers trust as well. Its keys are
	 * fetched from the authorization server's address on this service's network
	 * ({@code authorization-server.address}), while the issuer is the URL browsers use, so the
	 * issuer is checked here rather than by discovery, which would fetch from the issuer URL.
	 */
	@Bean
	JwtDecoderFactory<ClientRegistration> idTokenDecoderFactory(
			@Value("${authorization-server.issuer}") String issuer) {
		OidcIdTokenDecoderFactory decoders = new OidcIdTokenDecoderFactory();
		decoders.setJwtValidatorFactory((registration) -> new DelegatingOAuth2TokenValidator<>(
				new OidcIdTokenValidator(registration), new JwtIssuerValidator(issuer)));
		return decoders;
	}

}
