package com.example.purchases.defaults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The settings the services share, written once and added as the last property sources: a
 * service's own {@code application.yml}, its environment and its command line override any of
 * them. {@code service-defaults.yml} is every service's (operations on their own port, OAuth 2
 * resource server); {@code subscriber-defaults.yml}, above it, is every subscriber's (a service
 * that sets {@code subscriber.group}: how its consumer, producer, listener and health are
 * configured).
 */
class ServiceDefaults implements EnvironmentPostProcessor {

	static final String SERVICE = "service-defaults.yml";

	static final String SUBSCRIBER = "subscriber-defaults.yml";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty("subscriber.group")) {
			addLast(environment, SUBSCRIBER);
		}
		addLast(environment, SERVICE);
	}

	private static void addLast(ConfigurableEnvironment environment, String name) {
		if (environment.getPropertySources().contains(name)) {
			return;
		}
		try {
			List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(name,
					new ClassPathResource("META-INF/" + name));
			sources.forEach(environment.getPropertySources()::addLast);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + name, ex);
		}
	}

}
