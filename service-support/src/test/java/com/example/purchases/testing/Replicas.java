package com.example.purchases.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of another replica of a service, started by a test beside its own context
 * ({@code new SpringApplicationBuilder(App.class).run(Replicas.commandLine(...))}): the test's
 * broker, free ports, and the test issuer's tokens.
 */
public final class Replicas {

	private Replicas() {
	}

	/**
	 * @param brokers the test's broker
	 * @param more further arguments
	 */
	public static String[] commandLine(String brokers, String... more) {
		TestIssuer issuer = TestIssuer.get();
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.kafka.bootstrap-servers=" + brokers,
				"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.uri(),
				"--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer.uri() + "/oauth2/jwks"));
		arguments.addAll(List.of(more));
		return arguments.toArray(String[]::new);
	}

}
