package com.example.purchases.stock.inventory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A SKU or a replenishment order this service does not know: a 404 problem.
 */
class NotFoundException extends ErrorResponseException {

	NotFoundException(String title, String detail) {
		super(HttpStatus.NOT_FOUND, problem(HttpStatus.NOT_FOUND, title, detail), null);
	}

	static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
