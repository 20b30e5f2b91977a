package com.example.purchases.history.customer;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The purchase is not in the history (yet: its event may still be on its way).
 */
class PurchaseNotRecordedException extends ErrorResponseException {

	PurchaseNotRecordedException(UUID purchaseId) {
		super(HttpStatus.NOT_FOUND, problem(purchaseId), null);
	}

	private static ProblemDetail problem(UUID purchaseId) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"Purchase " + purchaseId + " has not been recorded.");
		problem.setTitle("Unknown purchase");
		return problem;
	}

}
