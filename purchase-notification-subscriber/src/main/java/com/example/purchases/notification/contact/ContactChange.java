package com.example.purchases.notification.contact;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PUT /customers/{id}/contact}.
 *
 * @param email the address for confirmations; {@code null} for none
 * @param confirmations whether the customer wants them
 */
record ContactChange(
		@Email(message = "must be an email address") @Size(max = 254, message = "must be at most 254 characters") String email,
		@NotNull(message = "is required (true or false)") Boolean confirmations) {
}
