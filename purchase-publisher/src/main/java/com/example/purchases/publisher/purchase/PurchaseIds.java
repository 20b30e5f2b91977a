package com.example.purchases.publisher.purchase;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The ids of a purchase and of its event.
 * <p>
 * With an {@code Idempotency-Key} they are name-based (RFC 9562 version 5) UUIDs of the
 * customer and the key: every replica derives the same ids for a retry without shared state,
 * and the subscribers drop the re-published event as a duplicate.
 */
record PurchaseIds(UUID purchaseId, UUID eventId) {

	// A fixed namespace of this system: changing it would change every derived id.
	private static final UUID NAMESPACE = UUID.fromString("5d3c8e52-2f57-4a53-9f0b-7c61f2e5b0a4");

	static PurchaseIds random() {
		return new PurchaseIds(UUID.randomUUID(), UUID.randomUUID());
	}

	static PurchaseIds forRetries(String customerId, String idempotencyKey) {
		// NUL cannot occur in either part, so distinct (customer, key) pairs never share a name.
		String name = customerId + '\0' + idempotencyKey;
		return new PurchaseIds(nameBased("purchase\0" + name), nameBased("event\0" + name));
	}

	private static UUID nameBased(String name) {
		MessageDigest sha1;
		try {
			sha1 = MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
		sha1.update(ByteBuffer.allocate(16)
			.putLong(NAMESPACE.getMostSignificantBits())
			.putLong(NAMESPACE.getLeastSignificantBits())
			.array());
		byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
		hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
		hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
		ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
		return new UUID(bits.getLong(), bits.getLong());
	}

}
