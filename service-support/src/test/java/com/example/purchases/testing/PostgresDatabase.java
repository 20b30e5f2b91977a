package com.example.purchases.testing;

import java.util.ArrayList;
import java.util.List;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

/**
 * The PostgreSQL of a subscriber's tests that need the real database ({@code POSTGRES_IMAGE},
 * default {@code postgres:17}): {@code @ImportTestcontainers(PostgresDatabase.class)} starts it
 * for the test's Spring context and points the context's data source at it.
 */
public interface PostgresDatabase {

	@Container
	@ServiceConnection
	PostgreSQLContainer postgres = new PostgreSQLContainer(
			DockerImageName.parse(System.getenv().getOrDefault("POSTGRES_IMAGE", "postgres:17"))
				.asCompatibleSubstituteFor("postgres"));

	/**
	 * @param brokers the test's broker
	 * @param more further arguments
	 * @return the command line of another replica of the service: the same broker, the same
	 * database, free ports
	 */
	static String[] replica(String brokers, String... more) {
		List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + postgres.getJdbcUrl(),
				"--spring.datasource.username=" + postgres.getUsername(),
				"--spring.datasource.password=" + postgres.getPassword()));
		arguments.addAll(List.of(more));
		return Replicas.commandLine(brokers, arguments.toArray(String[]::new));
	}

}
