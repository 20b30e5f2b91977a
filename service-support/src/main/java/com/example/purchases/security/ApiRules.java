package com.example.purchases.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import com.example.purchases.security.ApiSecurityProperties.Rule;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * A service's {@link ApiSecurityProperties#rules() rules} as request matchers: applied to the
 * security filter chain, and asked which scope a refused request lacked.
 */
class ApiRules {

	private final List<Compiled> rules = new ArrayList<>();

	ApiRules(ApiSecurityProperties properties) {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		for (Rule rule : properties.rules()) {
			List<RequestMatcher> matchers = new ArrayList<>();
			for (String path : rule.paths()) {
				if (rule.methods().isEmpty()) {
					matchers.add(paths.matcher(path));
				}
				for (HttpMethod method : rule.methods()) {
					matchers.add(paths.matcher(method, path));
				}
			}
			this.rules.add(new Compiled(new OrRequestMatcher(matchers), rule));
		}
	}

	void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry authorize) {
		for (Compiled compiled : this.rules) {
			var requests = authorize.requestMatchers(compiled.matcher());
			Rule rule = compiled.rule();
			if (rule.anonymous()) {
				requests.permitAll();
			}
			else if (rule.scope() != null) {
				requests.hasAuthority("SCOPE_" + rule.scope());
			}
			else {
				requests.authenticated();
			}
		}
	}

	/**
	 * The scope that the first rule matching the request asks for, if it asks for one.
	 */
	Optional<String> requiredScope(HttpServletRequest request) {
		return this.rules.stream()
			.filter((compiled) -> compiled.matcher().matches(request))
			.findFirst()
			.map((compiled) -> compiled.rule().scope());
	}

	/**
	 * Every scope the rules ask for, as the service's protected resource metadata lists them.
	 */
	List<String> scopes() {
		return this.rules.stream().map((compiled) -> compiled.rule().scope()).filter((s) -> s != null).distinct().toList();
	}

	private record Compiled(RequestMatcher matcher, Rule rule) {
	}

}
