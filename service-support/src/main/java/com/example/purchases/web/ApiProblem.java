package com.example.purchases.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error a REST API answers on purpose, as an RFC 9457 problem in the client's terms: the
 * status, a short title, a detail sentence. Thrown from a controller or a service, it is
 * answered by {@link ApiProblemHandler} like every other error.
 */
public class ApiProblem extends ErrorResponseException {

	/**
	 * @param status the status
	 * @param title what went wrong, in a few words
	 * @param detail what went wrong with this request, in a sentence
	 */
	public ApiProblem(HttpStatus status, String title, String detail) {
		this(status, title, detail, null);
	}

	/**
	 * @param status the status
	 * @param title what went wrong, in a few words
	 * @param detail what went wrong with this request, in a sentence
	 * @param cause the cause, for the logs only
	 */
	public ApiProblem(HttpStatus status, String title, String detail, Throwable cause) {
		super(status, problem(status, title, detail), cause);
	}

	/**
	 * A 404: the thing asked for does not exist, or not yet.
	 */
	public static ApiProblem notFound(String title, String detail) {
		return new ApiProblem(HttpStatus.NOT_FOUND, title, detail);
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
