package com.example.purchases.stock.inventory;

import java.util.UUID;

import com.example.purchases.web.ApiProblem;

import org.springframework.http.HttpStatus;

/**
 * A receipt for an order that is not open (already received): a 409 problem. Nothing changes.
 */
class ReplenishmentNotOpenException extends ApiProblem {

	ReplenishmentNotOpenException(UUID id, ReplenishmentOrder.Status status) {
		super(HttpStatus.CONFLICT, "Replenishment order not open",
				"Replenishment order " + id + " is " + status + "; only an OPEN order can be received.");
	}

}
