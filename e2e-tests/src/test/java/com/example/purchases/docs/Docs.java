package com.example.purchases.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The project's files, as the documentation checks read them. */
final class Docs {

	private Docs() {
	}

	/** The root of the project, where the root pom is. */
	static Path root() {
		return Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
	}

	static String read(String path) {
		try {
			return Files.readString(root().resolve(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The directories of the modules (those with a pom), benchmarks' included. */
	static Stream<Path> modules() throws IOException {
		try (Stream<Path> top = Files.list(root()); Stream<Path> benchmarks = Files.list(root().resolve("benchmarks"))) {
			return Stream.concat(top.toList().stream(), benchmarks.toList().stream())
				.filter((dir) -> Files.exists(dir.resolve("pom.xml")))
				.sorted();
		}
	}

}
