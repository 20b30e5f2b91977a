package com.example.purchases.notification.contact;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import com.example.purchases.web.ApiProblem;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /customers/{id}/contact}: where a customer's confirmations go, and whether they want
 * them.
 */
@RestController
@RequestMapping("/customers/{customerId}/contact")
class ContactController {

	static final String CUSTOMER_ID = "[A-Za-z0-9._:-]{1,64}";

	static final String CUSTOMER_ID_MESSAGE = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

	private final Contacts contacts;

	ContactController(Contacts contacts) {
		this.contacts = contacts;
	}

	@GetMapping
	Contact contact(@PathVariable @Pattern(regexp = CUSTOMER_ID, message = CUSTOMER_ID_MESSAGE) String customerId) {
		return this.contacts.find(customerId)
			.orElseThrow(() -> ApiProblem.notFound("Unknown customer",
					"No contact preferences of customer '" + customerId + "' are known."));
	}

	@PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	Contact change(@PathVariable @Pattern(regexp = CUSTOMER_ID, message = CUSTOMER_ID_MESSAGE) String customerId,
			@RequestBody @Valid ContactChange change) {
		return this.contacts.save(customerId, change.email(), change.confirmations());
	}

}
