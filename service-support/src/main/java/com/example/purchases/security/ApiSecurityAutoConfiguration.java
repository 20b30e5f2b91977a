package com.example.purchases.security;

import java.time.Clock;
import java.util.List;

import jakarta.servlet.DispatcherType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * Makes a service an OAuth 2 resource server with the rules of its {@code application.yml}
 * ({@code api-security.rules}): JWT access tokens of the system's authorization server
 * ({@code spring.security.oauth2.resourceserver.jwt.*}), a scope per endpoint, deny by default,
 * no session and so no CSRF surface, CORS closed unless origins are configured, and refusals as
 * problem documents. On the management port, health, info and Prometheus are open (the port is
 * not published; the details of health need an operations token) and every other endpoint, such
 * as the dead-letter replay, needs {@value #OPERATIONS_SCOPE}.
 */
@AutoConfiguration(before = OAuth2ResourceServerAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(BearerTokenAuthenticationFilter.class)
@EnableConfigurationProperties(ApiSecurityProperties.class)
public class ApiSecurityAutoConfiguration {

	static final String OPERATIONS_SCOPE = "events:replay";

	@Bean
	ApiRules apiRules(ApiSecurityProperties properties) {
		return new ApiRules(properties);
	}

	@Bean
	SecurityProblems securityProblems(ApiRules rules, ObjectProvider<JsonMapper> json) {
		return new SecurityProblems(rules, json.getIfAvailable(JsonMapper::shared));
	}

	/**
	 * Boot's decoder (issuer, JWKS, validators: {@code spring.security.oauth2.resourceserver.jwt.*})
	 * behind {@link VerifiedTokens}.
	 */
	@Bean
	static BeanPostProcessor verifiedTokens(ObjectProvider<ApiSecurityProperties> properties) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof JwtDecoder decoder && !(bean instanceof VerifiedTokens)) {
					long size = properties.getObject().verifiedTokens();
					return (size > 0) ? new VerifiedTokens(decoder, size, Clock.systemUTC()) : decoder;
				}
				return bean;
			}
		};
	}

	/**
	 * Spring Security's default firewall, with its checks of header names and values done without
	 * regular expressions ({@link HeaderValues}).
	 */
	@Bean
	@ConditionalOnMissingBean
	HttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(HeaderValues.NAMES);
		firewall.setAllowedHeaderValues(HeaderValues.VALUES);
		return firewall;
	}

	/**
	 * The filters unwrapped: the observations they would make are switched off anyway
	 * ({@code management.observations.enable.spring.security} in the shared defaults), but with
	 * observations on the wrapper still ran around each of the dozen filters of every request.
	 */
	@Bean
	@ConditionalOnMissingBean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	@ConditionalOnMissingBean
	BearerTokenResolver bearerTokenResolver(ApiSecurityProperties properties) {
		return new BoundedBearerTokens(properties.maxTokenSize());
	}

	@Bean
	@ConditionalOnMissingBean(SecurityFilterChain.class)
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiRules rules, ApiSecurityProperties properties,
			BearerTokenResolver tokens, SecurityProblems problems,
			@Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuer) {
		http.authorizeHttpRequests((authorize) -> {
			// The servlet container's error page for a request that was let through already.
			authorize.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
			authorize.requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll();
			authorize.requestMatchers(EndpointRequest.toAnyEndpoint()).hasAuthority("SCOPE_" + OPERATIONS_SCOPE);
			rules.apply(authorize);
			authorize.anyRequest().denyAll();
		});
		http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(withDefaults())
			.bearerTokenResolver(tokens)
			.authenticationEntryPoint(problems)
			.accessDeniedHandler(problems)
			.protectedResourceMetadata((metadata) -> metadata.protectedResourceMetadataCustomizer((resource) -> {
				if (!issuer.isEmpty()) {
					resource.authorizationServer(issuer);
				}
				resource.scopes((scopes) -> scopes.addAll(rules.scopes()));
				resource.tlsClientCertificateBoundAccessTokens(false);
			})));
		http.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(problems)
			.accessDeniedHandler(problems));
		http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		http.requestCache((cache) -> cache.disable());
		http.csrf((csrf) -> csrf.disable());
		if (properties.corsAllowedOrigins().isEmpty()) {
			http.cors((cors) -> cors.disable());
		}
		else {
			http.cors((cors) -> cors.configurationSource(cors(properties.corsAllowedOrigins())));
		}
		return http.build();
	}

	private static UrlBasedCorsConfigurationSource cors(List<String> origins) {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(origins);
		configuration.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.POST.name()));
		configuration.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Idempotency-Key"));
		configuration.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER,
				HttpHeaders.WWW_AUTHENTICATE));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", configuration);
		return source;
	}

}
