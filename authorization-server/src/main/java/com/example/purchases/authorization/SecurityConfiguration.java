package com.example.purchases.authorization;

import java.util.Set;

import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * The authorization server's endpoints (OAuth 2.1 and OpenID Connect), the operator's sign-in
 * form, and the management endpoints the containers' health checks and Prometheus read (on the
 * management port, which no host port publishes).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain authorizationServerEndpoints(HttpSecurity http) {
		http.oauth2AuthorizationServer((authorizationServer) -> {
			http.securityMatcher(authorizationServer.getEndpointsMatcher());
			authorizationServer.oidc(withDefaults());
			authorizationServer.tokenEndpoint((token) -> token.accessTokenRequestConverter(new AllScopesByDefault()));
		});
		http.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated());
		http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(withDefaults()));
		// A browser asking to authorize is sent to sign in first.
		MediaTypeRequestMatcher browsers = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
		browsers.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		http.exceptionHandling((exceptions) -> exceptions
			.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browsers));
		return http.build();
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	SecurityFilterChain signInAndOperations(HttpSecurity http) {
		http.authorizeHttpRequests((authorize) -> authorize
			.requestMatchers(EndpointRequest.to("health", "info", "prometheus"))
			.permitAll()
			.anyRequest()
			.authenticated());
		http.formLogin(withDefaults());
		return http.build();
	}

	/**
	 * The operator of the live page ({@code spring.security.user.*}; the password from
	 * {@code OPERATOR_PASSWORD}).
	 */
	@Bean
	UserDetailsService operator(SecurityProperties security) {
		SecurityProperties.User user = security.getUser();
		return new InMemoryUserDetailsManager(
				User.withUsername(user.getName()).password("{noop}" + user.getPassword()).roles("OPERATOR").build());
	}

}
