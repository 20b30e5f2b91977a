package com.example.purchases.gateway.web;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.web.ApiProblemHandler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

/**
 * The gateway's own errors, as problem documents like the services': no ready replica of the
 * service is a {@code 503} with {@code Retry-After}; a replica lost in the middle of a request
 * that could not be retried elsewhere (not idempotent) is a {@code 502}.
 */
@RestControllerAdvice
class GatewayProblems extends ApiProblemHandler {

	private static final Logger logger = LoggerFactory.getLogger(GatewayProblems.class);

	private final Duration retryAfter;

	GatewayProblems(@Value("${gateway.retry-after:2s}") Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	@ExceptionHandler
	ResponseEntity<Object> noReadyReplica(HttpServerErrorException ex) {
		return unexpected(ex);
	}

	@ExceptionHandler
	ResponseEntity<Object> replicaLost(ResourceAccessException ex) {
		return unexpected(ex);
	}

	/**
	 * The gateway's failures come wrapped (by the retry filter, once it gave up): each is
	 * answered by what it is underneath.
	 */
	@Override
	protected ResponseEntity<Object> unexpected(Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpServerErrorException error && error.getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE) {
				HttpHeaders headers = new HttpHeaders();
				headers.set(HttpHeaders.RETRY_AFTER, Long.toString(this.retryAfter.toSeconds()));
				return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
						"No replica of the service that answers this request is ready. Retry later.", headers);
			}
			if (cause instanceof ResourceAccessException lost) {
				logger.warn("A replica did not answer: {}", lost.getMessage());
				return problem(HttpStatus.BAD_GATEWAY, "Bad gateway",
						"The service's replica did not answer. The request may or may not have been processed.",
						new HttpHeaders());
			}
		}
		return super.unexpected(ex);
	}

}
