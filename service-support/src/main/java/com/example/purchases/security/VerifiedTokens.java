package com.example.purchases.security;

import java.time.Clock;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Verifies each distinct access token once and remembers it until it expires. A calling service
 * holds one token for minutes and sends it with every request; parsing it, checking its RSA
 * signature and its claims again on each of them was, after Spring Security's spans, the largest
 * part of what security cost the publisher (docs/security.md, "What it costs"). The key is the whole token as sent, so a token that differs in one
 * character is a stranger and goes through {@code verifier} in full; a refused token is never
 * remembered; and a remembered one is given up the moment its {@code exp} has passed, when
 * {@code verifier} decides again (and refuses it once its clock skew is spent).
 */
class VerifiedTokens implements JwtDecoder {

	private final JwtDecoder verifier;

	private final Clock clock;

	private final Cache<String, Jwt> verified;

	VerifiedTokens(JwtDecoder verifier, long maximumSize, Clock clock) {
		this.verifier = verifier;
		this.clock = clock;
		this.verified = Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new UntilExpiry(clock)).build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt remembered = this.verified.getIfPresent(token);
		if (remembered != null && this.clock.instant().isBefore(remembered.getExpiresAt())) {
			return remembered;
		}
		Jwt jwt = this.verifier.decode(token);
		// A token without exp would be remembered for ever: verified each time instead.
		if (jwt.getExpiresAt() != null) {
			this.verified.put(token, jwt);
		}
		return jwt;
	}

	long size() {
		this.verified.cleanUp();
		return this.verified.estimatedSize();
	}

	private static final class UntilExpiry implements Expiry<String, Jwt> {

		private static final Duration LONGEST = Duration.ofDays(1);

		private final Clock clock;

		UntilExpiry(Clock clock) {
			this.clock = clock;
		}

		@Override
		public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
			Duration left = Duration.between(this.clock.instant(), jwt.getExpiresAt());
			if (left.isNegative()) {
				return 0;
			}
			// Beyond a day (a token minted for years), verified again daily rather than overflowing.
			return left.compareTo(LONGEST) < 0 ? left.toNanos() : LONGEST.toNanos();
		}

		@Override
		public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
			return expireAfterCreate(token, jwt, currentTime);
		}

		@Override
		public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
