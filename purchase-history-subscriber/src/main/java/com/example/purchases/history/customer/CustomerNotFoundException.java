package com.example.purchases.history.customer;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * No purchase of this customer has been recorded (yet: the history is eventually consistent
 * with the purchases accepted by the publisher).
 */
class CustomerNotFoundException extends ErrorResponseException {

	CustomerNotFoundException(String customerId) {
		super(HttpStatus.NOT_FOUND, problem(customerId), null);
	}

	private static ProblemDetail problem(String customerId) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No purchase of customer '" + customerId + "' has been recorded.");
		problem.setTitle("Unknown customer");
		return problem;
	}

}
