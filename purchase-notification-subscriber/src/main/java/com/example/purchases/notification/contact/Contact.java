package com.example.purchases.notification.contact;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A customer's contact preferences.
 *
 * @param customerId the customer
 * @param email where confirmations go, if anywhere
 * @param confirmations whether the customer wants them
 * @param updatedAt when they last changed
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Contact(String customerId, String email, boolean confirmations, Instant updatedAt) {
}
