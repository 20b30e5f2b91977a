package com.example.purchases.authorization;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The key that signs the tokens, from {@code authorization.signing-key} when one is mounted, so
 * that tokens outlive a restart and every replica signs alike. Without it Spring Boot generates
 * one at start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("authorization.signing-key")
class SigningKeyConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SigningKeyConfiguration.class);

	@Bean
	JWKSource<SecurityContext> jwkSource(AuthorizationProperties properties)
			throws IOException, GeneralSecurityException, JOSEException {
		String pem;
		try (InputStream in = properties.signingKey().getInputStream()) {
			pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		byte[] der = Base64.getMimeDecoder()
			.decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", ""));
		KeyFactory rsa = KeyFactory.getInstance("RSA");
		RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
		RSAPublicKey publicKey = (RSAPublicKey) rsa
			.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
		RSAKey key = new RSAKey.Builder(publicKey).privateKey(privateKey).keyIDFromThumbprint().build();
		logger.info("Signing tokens with the key of {} (key id {}, {} bits)", properties.signingKey().getDescription(),
				key.getKeyID(), new BigInteger(1, publicKey.getModulus().toByteArray()).bitLength());
		return new ImmutableJWKSet<>(new JWKSet(key));
	}

}
