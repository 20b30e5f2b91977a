package com.example.purchases.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * A refused request's answer: {@code 401} (no token, or one that is not valid) or {@code 403}
 * (a valid token without the scope) with the RFC 6750 {@code WWW-Authenticate: Bearer} challenge,
 * and a problem document like every other error of the APIs. The wording is fixed: what was
 * wrong with a token is the client's to find out from its authorization server, not from the
 * validator's messages.
 */
class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

	private final ApiRules rules;

	private final JsonMapper json;

	SecurityProblems(ApiRules rules, JsonMapper json) {
		this.rules = rules;
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		if (ex instanceof OAuth2AuthenticationException oauth && oauth.getError() instanceof BearerTokenError error
				&& BearerTokenErrorCodes.INVALID_REQUEST.equals(error.getErrorCode())) {
			write(request, response, HttpStatus.BAD_REQUEST, "Bearer error=\"invalid_request\"", "Bad Request",
					"The request carries its access token more than once or in a form that is not accepted: send one "
							+ "token, in the Authorization header.");
			return;
		}
		if (ex instanceof OAuth2AuthenticationException) {
			write(request, response, HttpStatus.UNAUTHORIZED,
					"Bearer error=\"invalid_token\", error_description=\"The access token is not valid\"",
					"Unauthorized", "The access token is not valid: it is malformed, expired, not yet valid, or not "
							+ "issued by this system's authorization server. Ask the authorization server for a new one.");
			return;
		}
		write(request, response, HttpStatus.UNAUTHORIZED, "Bearer", "Unauthorized",
				"This request needs an access token: send it as 'Authorization: Bearer <token>'.");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		Optional<String> scope = this.rules.requiredScope(request);
		if (scope.isPresent()) {
			write(request, response, HttpStatus.FORBIDDEN,
					"Bearer error=\"insufficient_scope\", scope=\"" + scope.get() + "\"", "Forbidden",
					"This request needs an access token with the scope '" + scope.get() + "'.");
			return;
		}
		write(request, response, HttpStatus.FORBIDDEN, "Bearer error=\"insufficient_scope\"", "Forbidden",
				"This request is not allowed with this access token.");
	}

	/**
	 * A URL the firewall refuses (an encoded slash, percent or dot segment, a path traversal),
	 * before any rule is looked at.
	 */
	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException ex)
			throws IOException {
		write(request, response, HttpStatus.BAD_REQUEST, null, "Bad Request",
				"The request's URL is not accepted: it has encoded or relative path segments.");
	}

	private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String challenge, String title, String detail) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", title);
		problem.put("status", status.value());
		problem.put("detail", detail);
		response.setStatus(status.value());
		if (challenge != null) {
			problem.put("instance", request.getRequestURI());
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
		}
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
