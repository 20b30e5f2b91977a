package com.example.purchases.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The results table of the fault-injection suite, written to {@code target/reliability.md} as
 * each scenario ends, one table per run (docs/reliability.md holds one).
 */
final class ReliabilityReport {

	private static final Path FILE = Path.of("target", "reliability.md");

	private static final String HEADER = """
			| scenario | accepted | applied by history | applied by stock | confirmed by notification (emails) | dead letters (history / stock / notification) | lost | applied twice | observed |
			|---|---|---|---|---|---|---|---|---|
			""";

	private static boolean started;

	private ReliabilityReport() {
	}

	static synchronized void row(String scenario, long accepted, long inHistory, long inStock, String notified,
			String deadLetters, long lost, boolean appliedTwice, String observed) {
		try {
			Files.createDirectories(FILE.getParent());
			if (!started) {
				// A table per run: the suite's classes share one JVM.
				Files.writeString(FILE, HEADER, StandardCharsets.UTF_8);
				started = true;
			}
			String row = "| %s | %d | %d | %d | %s | %s | %d | %s | %s |%n".formatted(scenario, accepted, inHistory,
					inStock, notified, deadLetters, lost, appliedTwice ? "**yes**" : "0", observed);
			Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
			System.out.print("RELIABILITY " + row);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void row(String scenario, SystemUnderTest.Accounting accounting, String deadLetters, String observed) {
		row(scenario, accounting.accepted(), accounting.inHistory(), accounting.inStock(),
				"%d (%d)".formatted(accounting.inNotification(), accounting.emails()), deadLetters, accounting.lost(),
				accounting.appliedTwice(), observed);
	}

}
