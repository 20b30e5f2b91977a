package com.example.purchases.subscriber;

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
 * The settings every subscriber shares ({@code subscriber-defaults.yml}: how its consumer,
 * producer, listener and health are configured), written once, as the last property source of
 * a service that sets {@code subscriber.group}: its own {@code application.yml}, the
 * environment and the command line override any of them.
 */
class SubscriberDefaults implements EnvironmentPostProcessor {

	static final String NAME = "subscriber-defaults.yml";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.containsProperty("subscriber.group") || environment.getPropertySources().contains(NAME)) {
			return;
		}
		try {
			List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(NAME,
					new ClassPathResource("META-INF/" + NAME));
			sources.forEach(environment.getPropertySources()::addLast);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + NAME, ex);
		}
	}

}
