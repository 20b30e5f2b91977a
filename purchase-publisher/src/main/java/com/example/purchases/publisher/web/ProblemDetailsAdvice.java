package com.example.purchases.publisher.web;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.web.ApiProblemHandler;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * The shared problem details, plus what only a service that reads JSON bodies has to say:
 * malformed JSON, values of the wrong type (all of them, with the other violations), bodies
 * over the limit.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ApiProblemHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	private final JsonMapper mapper;

	private final Validator validator;

	ProblemDetailsAdvice(JsonMapper mapper, Validator validator) {
		this.mapper = mapper;
		this.validator = validator;
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (ex.getCause() instanceof JacksonException json) {
			return unreadable(json, headers, request);
		}
		return problem(HttpStatus.BAD_REQUEST, "Unreadable request body", "The request body is missing or unreadable.",
				headers);
	}

	@ExceptionHandler
	ResponseEntity<Object> tooLarge(RequestBodyTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
				"The request body is larger than " + ex.limitBytes() / 1024 + " KiB.", new HttpHeaders());
	}

	private ResponseEntity<Object> unreadable(JacksonException ex, HttpHeaders headers, WebRequest request) {
		if (ex instanceof StreamConstraintsException) {
			return problem(HttpStatus.BAD_REQUEST, "Malformed JSON",
					"The JSON exceeds the parser's limits (nesting depth, number or string length).", headers);
		}
		if (ex instanceof StreamReadException && !(ex instanceof InputCoercionException)) {
			TokenStreamLocation location = ex.getLocation();
			String where = (location != null && location.getLineNr() > 0)
					? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
			return problem(HttpStatus.BAD_REQUEST, "Malformed JSON",
					"The request body is not valid JSON" + where + ": " + ex.getOriginalMessage(), headers);
		}
		List<Violation> all = allViolations(request);
		if (!all.isEmpty()) {
			return invalid(all, headers);
		}
		String field = path(ex);
		if (!field.isEmpty()) {
			return invalid(List.of(new Violation(field, typeMessage(ex))), headers);
		}
		return problem(HttpStatus.BAD_REQUEST, "Malformed JSON", "The request body must be a JSON object.", headers);
	}

	/**
	 * Every violation of a body that Jackson gave up on at its first value of the wrong type.
	 */
	private List<Violation> allViolations(WebRequest request) {
		BoundedRequestBody.ReadBody body = BoundedRequestBody.current(request);
		if (body == null) {
			return List.of();
		}
		try {
			return BodyViolations.of(this.mapper.readTree(body.bytes()), body.targetType(), this.mapper,
					this.validator);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not examine the unreadable body further", ex);
			return List.of();
		}
	}

	private static String typeMessage(JacksonException ex) {
		if (ex instanceof UnrecognizedPropertyException) {
			return "is not a known field";
		}
		if (ex instanceof InputCoercionException) {
			return "is out of range";
		}
		Class<?> target = (ex instanceof MismatchedInputException mismatch) ? mismatch.getTargetType() : null;
		if (target == null) {
			return "has a value of the wrong type";
		}
		if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
			return "must be an integer";
		}
		if (Number.class.isAssignableFrom(target)) {
			return "must be a number";
		}
		if (target == String.class) {
			return "must be a string";
		}
		if (Collection.class.isAssignableFrom(target) || target.isArray()) {
			return "must be an array";
		}
		if (Map.class.isAssignableFrom(target) || target.isRecord()) {
			return "must be an object";
		}
		return "has a value of the wrong type";
	}

	/** The JSON path of the value that failed, in the notation of the validation errors. */
	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

}
