package com.example.purchases.stock.inventory;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A receipt for an order that is not open (already received): a 409 problem. Nothing changes.
 */
class ReplenishmentNotOpenException extends ErrorResponseException {

	ReplenishmentNotOpenException(UUID id, ReplenishmentOrder.Status status) {
		super(HttpStatus.CONFLICT, NotFoundException.problem(HttpStatus.CONFLICT, "Replenishment order not open",
				"Replenishment order " + id + " is " + status + "; only an OPEN order can be received."), null);
	}

}
