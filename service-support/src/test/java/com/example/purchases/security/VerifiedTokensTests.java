package com.example.purchases.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import com.example.purchases.testing.TestIssuer;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A token is verified once, with a real signature check, and only that exact token is taken on
 * trust afterwards, and only until it expires.
 */
class VerifiedTokensTests {

	private final RSAKey key = TestIssuer.generateKey();

	private final MovableClock clock = new MovableClock(Instant.now());

	private final AtomicInteger verifications = new AtomicInteger();

	private final VerifiedTokens tokens = new VerifiedTokens(counting(decoder()), 2, this.clock);

	@Test
	void aTokenSentAgainIsNotVerifiedAgain() {
		String token = token(Duration.ofMinutes(5));
		Jwt first = this.tokens.decode(token);
		Jwt again = this.tokens.decode(token);
		assertThat(again).isSameAs(first);
		assertThat(this.verifications).hasValue(1);
	}

	@Test
	void aTamperedCopyOfAVerifiedTokenIsVerifiedAndRefused() {
		String token = token(Duration.ofMinutes(5));
		this.tokens.decode(token);
		String[] parts = token.split("\\.");
		String tampered = parts[0] + "." + parts[1] + "." + flipLast(parts[2]);
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode(tampered));
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void aRefusedTokenIsNotRemembered() {
		String forged = TestIssuer.sign(claims(Duration.ofMinutes(5)).build(), TestIssuer.generateKey());
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode(forged));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode(forged));
		assertThat(this.verifications).hasValue(2);
		assertThat(this.tokens.size()).isZero();
	}

	@Test
	void anExpiredTokenIsVerifiedAgainAndRefusedOnceTheClockSkewIsSpent() {
		String token = token(Duration.ofMinutes(5));
		this.tokens.decode(token);
		this.clock.move(Duration.ofMinutes(5).plusSeconds(1));
		// Within the validator's 60 s of clock skew: verified again, still valid.
		this.tokens.decode(token);
		assertThat(this.verifications).hasValue(2);
		this.clock.move(Duration.ofSeconds(60));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.tokens.decode(token))
			.withMessageContaining("expired");
	}

	@Test
	void remembersAtMostItsSize() {
		for (int i = 0; i < 5; i++) {
			this.tokens.decode(token(Duration.ofMinutes(5)));
		}
		assertThat(this.tokens.size()).isLessThanOrEqualTo(2);
	}

	private JwtDecoder decoder() {
		try {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(this.key.toRSAPublicKey()).build();
			// As the default validators, on the test's clock.
			JwtTimestampValidator timestamps = new JwtTimestampValidator();
			timestamps.setClock(this.clock);
			decoder.setJwtValidator(timestamps);
			return decoder;
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JwtDecoder counting(JwtDecoder decoder) {
		return (token) -> {
			this.verifications.incrementAndGet();
			return decoder.decode(token);
		};
	}

	private String token(Duration lifetime) {
		return TestIssuer.sign(claims(lifetime).build(), this.key);
	}

	private JWTClaimsSet.Builder claims(Duration lifetime) {
		Instant now = this.clock.instant();
		return new JWTClaimsSet.Builder().issuer("https://issuer.test")
			.subject("checkout")
			.claim("scope", "purchases:write")
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(lifetime)))
			.jwtID(UUID.randomUUID().toString());
	}

	private static String flipLast(String signature) {
		char last = signature.charAt(signature.length() - 2);
		char other = (last == 'A') ? 'B' : 'A';
		return signature.substring(0, signature.length() - 2) + other + signature.charAt(signature.length() - 1);
	}

	private static final class MovableClock extends Clock {

		private Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		void move(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
