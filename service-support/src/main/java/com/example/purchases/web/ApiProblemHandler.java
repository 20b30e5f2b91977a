package com.example.purchases.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of the REST APIs is an RFC 9457 {@code application/problem+json} document in the
 * client's terms: an invalid request lists each violation with the field, parameter or header
 * that is wrong, and nothing names a Java class, a stack frame or a framework.
 * <p>
 * Registered for every service; a service with more to say extends it.
 */
@RestControllerAdvice
public class ApiProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiProblemHandler.class);

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return invalid(violations(ex.getBindingResult()), headers);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Violation> violations = new ArrayList<>();
		ex.getParameterValidationResults().forEach((result) -> {
			if (result instanceof ParameterErrors errors) {
				violations.addAll(violations(errors));
				return;
			}
			RequestHeader header = result.getMethodParameter().getParameterAnnotation(RequestHeader.class);
			String field = (header != null) ? header.name() : result.getMethodParameter().getParameterName();
			result.getResolvableErrors().forEach((error) -> violations.add(new Violation(field, message(error))));
		});
		return invalid(violations, headers);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		return invalid(List.of(new Violation(ex.getPropertyName(), "must be " + expected(ex.getRequiredType()))),
				headers);
	}

	private static String expected(Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (type.isEnum()) {
			return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
		}
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
			return "an integer";
		}
		if (type == UUID.class) {
			return "a UUID";
		}
		return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
	}

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		return problem(HttpStatus.NOT_FOUND, "Not Found",
				"No endpoint " + ex.getHttpMethod() + " /" + ex.getResourcePath() + ".", headers);
	}

	@ExceptionHandler
	protected ResponseEntity<Object> unexpected(Exception ex) {
		logger.error("Unexpected error", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error", "The request could not be processed.",
				new HttpHeaders());
	}

	/**
	 * A 400 listing the violations, sorted by field.
	 */
	protected ResponseEntity<Object> invalid(List<Violation> violations, HttpHeaders headers) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request has "
				+ violations.size() + ((violations.size() == 1) ? " invalid field." : " invalid fields."));
		problem.setTitle("Invalid request");
		problem.setProperty("violations", violations.stream()
			.sorted(Comparator.comparing(Violation::field).thenComparing(Violation::message))
			.toList());
		return ResponseEntity.badRequest().headers(headers).body(problem);
	}

	/**
	 * A problem without details.
	 */
	protected static ResponseEntity<Object> problem(HttpStatus status, String title, String detail,
			HttpHeaders headers) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return ResponseEntity.status(status).headers(headers).body(problem);
	}

	private static List<Violation> violations(Errors errors) {
		List<Violation> violations = new ArrayList<>();
		for (FieldError error : errors.getFieldErrors()) {
			violations.add(new Violation(error.getField(), message(error)));
		}
		errors.getGlobalErrors().forEach((error) -> violations.add(new Violation("", message(error))));
		return violations;
	}

	private static String message(MessageSourceResolvable error) {
		return (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid";
	}

	/**
	 * One thing wrong with a request.
	 *
	 * @param field where: a path into the JSON body ({@code items[0].unitPrice}), a query or
	 * path parameter ({@code size}) or a header ({@code Idempotency-Key})
	 * @param message what, in words a client developer understands
	 */
	public record Violation(String field, String message) {
	}

}
