package com.example.purchases.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.ClassPathResource;

/**
 * A JSON Schema of the event contract ({@code contracts/} in the repository, packaged on the
 * classpath under {@code contracts/}), compiled once and safe to share between threads.
 */
public final class EventSchema {

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			(builder) -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
				// "format" only annotates by default in 2020-12; the contract means it.
				.formatAssertionsEnabled(true)
				.pathType(PathType.JSON_PATH)
				.build()));

	private final String name;

	private final Schema schema;

	private EventSchema(String name, Schema schema) {
		this.name = name;
		this.schema = schema;
	}

	/**
	 * Loads a schema of the contract from the classpath.
	 * @param fileName the file name in {@code contracts/}, such as
	 * {@code purchase-completed.v1.schema.json}
	 * @return the compiled schema
	 */
	public static EventSchema load(String fileName) {
		try (InputStream in = new ClassPathResource("contracts/" + fileName).getInputStream()) {
			Schema schema = REGISTRY.getSchema(in);
			schema.initializeValidators();
			return new EventSchema(fileName, schema);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read contract schema " + fileName, ex);
		}
	}

	/**
	 * Validates a document against the schema.
	 * @param document the parsed event
	 * @return one line per violation, such as {@code $.items[0].quantity: must have a minimum
	 * value of 1}; empty when the document is valid
	 */
	public List<String> violations(JsonNode document) {
		return this.schema.validate(document).stream().map(Error::toString).toList();
	}

	@Override
	public String toString() {
		return this.name;
	}

}
