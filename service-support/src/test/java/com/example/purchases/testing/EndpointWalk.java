package com.example.purchases.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Walks every endpoint of a service's business port, as its controllers map them, with no
 * token, with a token that has every scope but the one the endpoint needs, and with that one:
 * expecting {@code 401}, {@code 403}, and an answer of the endpoint itself (neither). The walk
 * fails when the service maps an endpoint the test does not list, so that a new endpoint comes
 * with its expected scope, and then with a rule, or it is refused to everyone (deny by default).
 */
public final class EndpointWalk {

	/** What a path variable is replaced with: a UUID, which every id of the APIs may be. */
	private static final String SAMPLE = "6f1c2a4e-0b7d-4c55-9a8e-3d2f1e0c9b7a";

	private final ApplicationContext context;

	private final RestTestClient http;

	private final Map<String, String> scopes = new LinkedHashMap<>();

	private final Set<String> anonymous = new TreeSet<>();

	private final List<String> allScopes = new ArrayList<>();

	private EndpointWalk(ApplicationContext context) {
		this.context = context;
		this.http = RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + context.getEnvironment().getRequiredProperty("local.server.port"))
			.build();
	}

	/**
	 * @param context the service's context, whose request mappings are walked on its business
	 * port
	 */
	public static EndpointWalk of(ApplicationContext context) {
		return new EndpointWalk(context);
	}

	/**
	 * @param endpoint {@code "METHOD /path/{pattern}"}, as the controller maps it
	 * @param scope the scope it needs
	 */
	public EndpointWalk expect(String endpoint, String scope) {
		this.scopes.put(endpoint, scope);
		this.allScopes.add(scope);
		return this;
	}

	/**
	 * @param endpoint {@code "METHOD /path"} open to anyone
	 */
	public EndpointWalk expectAnonymous(String endpoint) {
		this.anonymous.add(endpoint);
		return this;
	}

	/**
	 * Scopes the system knows that none of the service's endpoints needs (so that the "wrong
	 * token" of each endpoint carries them too).
	 */
	public EndpointWalk otherScopes(String... scopes) {
		this.allScopes.addAll(List.of(scopes));
		return this;
	}

	public void walk() {
		Set<String> mapped = mappedEndpoints();
		Set<String> listed = new TreeSet<>(this.scopes.keySet());
		listed.addAll(this.anonymous);
		assertThat(mapped).as("the endpoints the service maps, each of which the test must list with its scope")
			.containsExactlyInAnyOrderElementsOf(listed);
		assertSoftly((softly) -> {
			this.scopes.forEach((endpoint, scope) -> {
				String[] others = this.allScopes.stream().filter((s) -> !s.equals(scope)).distinct().toArray(String[]::new);
				softly.assertThat(status(endpoint, null)).as("%s without a token", endpoint).isEqualTo(401);
				softly.assertThat(status(endpoint, TestIssuer.get().token(others)))
					.as("%s with a token with every scope but %s", endpoint, scope)
					.isEqualTo(403);
				softly.assertThat(status(endpoint, TestIssuer.get().token(scope)))
					.as("%s with the scope %s: answered by the endpoint", endpoint, scope)
					.isNotIn(401, 403);
			});
			this.anonymous.forEach((endpoint) -> softly.assertThat(status(endpoint, null))
				.as("%s without a token", endpoint)
				.isNotIn(401, 403));
		});
	}

	private int status(String endpoint, String token) {
		String[] parts = endpoint.split(" ", 2);
		HttpMethod method = HttpMethod.valueOf(parts[0]);
		String path = parts[1].replaceAll("\\{[^}]+\\}", SAMPLE).replace("**", "x");
		RestTestClient.RequestBodySpec request = this.http.method(method).uri(path).headers((headers) -> {
			headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON, MediaType.ALL));
			if (token != null) {
				headers.setBearerAuth(token);
			}
		});
		if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
			request.contentType(MediaType.APPLICATION_JSON).body("{}");
		}
		return request.exchange().returnResult(String.class).getStatus().value();
	}

	private Set<String> mappedEndpoints() {
		Set<String> endpoints = new TreeSet<>();
		Map<String, RequestMappingHandlerMapping> mappings = this.context
			.getBeansOfType(RequestMappingHandlerMapping.class);
		mappings.values().forEach((mapping) -> mapping.getHandlerMethods().keySet().forEach((info) -> {
			for (String path : info.getPatternValues()) {
				if (path.equals("/error")) {
					continue; // the servlet container's error dispatches only
				}
				for (RequestMethod method : methods(info)) {
					endpoints.add(method.name() + " " + path);
				}
			}
		}));
		return endpoints;
	}

	private static Set<RequestMethod> methods(RequestMappingInfo info) {
		Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
		return methods.isEmpty() ? Set.of(RequestMethod.GET) : methods;
	}

}
