package com.example.purchases.authorization;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * Settings of the authorization server of its own, under {@code authorization.*}.
 *
 * @param signingKey the RSA private key that signs the tokens (PKCS#8 PEM, such as a mounted
 * secret {@code file:/run/secrets/signing-key.pem}); without it a key is generated at start,
 * and the tokens signed before a restart are refused after it (clients get a {@code 401} and
 * ask for a new token)
 */
@ConfigurationProperties("authorization")
record AuthorizationProperties(Resource signingKey) {
}
