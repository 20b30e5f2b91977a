package com.example.purchases.notification.contact;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The customers' contact preferences, in this service's database.
 */
@Repository
public class Contacts {

	private static final RowMapper<Contact> CONTACT = (row, n) -> new Contact(row.getString(1), row.getString(2),
			row.getBoolean(3), row.getObject(4, OffsetDateTime.class).toInstant());

	private final JdbcTemplate jdbc;

	private final NamedParameterJdbcTemplate named;

	Contacts(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		this.named = new NamedParameterJdbcTemplate(jdbc);
	}

	/** The preferences of a customer, if any were given. */
	public Optional<Contact> find(String customerId) {
		return this.jdbc
			.query("SELECT customer_id, email, confirmations, updated_at FROM contact WHERE customer_id = ?", CONTACT,
					customerId)
			.stream()
			.findFirst();
	}

	/** The preferences of those customers who gave any, by customer, in one statement. */
	public Map<String, Contact> find(Collection<String> customerIds) {
		if (customerIds.isEmpty()) {
			return Map.of();
		}
		return this.named
			.query("SELECT customer_id, email, confirmations, updated_at FROM contact WHERE customer_id IN (:ids)",
					Map.of("ids", customerIds), CONTACT)
			.stream()
			.collect(Collectors.toMap(Contact::customerId, Function.identity()));
	}

	/** Sets a customer's preferences, whatever they were. */
	Contact save(String customerId, String email, boolean confirmations) {
		OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
		int updated = this.jdbc.update("UPDATE contact SET email = ?, confirmations = ?, updated_at = ? WHERE customer_id = ?",
				email, confirmations, now, customerId);
		if (updated == 0 && this.jdbc.update(
				"INSERT INTO contact (customer_id, email, confirmations, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				customerId, email, confirmations, now) == 0) {
			// Inserted by another request in the meantime: this one is the later change.
			this.jdbc.update("UPDATE contact SET email = ?, confirmations = ?, updated_at = ? WHERE customer_id = ?", email,
					confirmations, now, customerId);
		}
		return new Contact(customerId, email, confirmations, now.toInstant());
	}

	/** Adds the customers not known yet; known ones keep their preferences. */
	int seed(List<Contact> contacts) {
		Timestamp now = Timestamp.from(Instant.now());
		int[] inserted = this.jdbc.batchUpdate(
				"INSERT INTO contact (customer_id, email, confirmations, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				contacts.stream().map((contact) -> new Object[] { contact.customerId(), contact.email(),
						contact.confirmations(), now }).toList());
		int count = 0;
		for (int each : inserted) {
			count += (each > 0) ? 1 : 0;
		}
		return count;
	}

}
