package com.example.purchases.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The live event-flow page checked in a real headless Chromium (Debian's package) driven by
 * Playwright ({@code event-flow-dashboard/src/test/browser/check-dashboard.mjs}).
 */
final class BrowserCheck {

	private final Path script;

	private final String chromium;

	private BrowserCheck(Path script, String chromium) {
		this.script = script;
		this.chromium = chromium;
	}

	/**
	 * @return the check, or {@code null} when this machine lacks Node.js, the script's packages
	 * ({@code npm ci} in its folder) or Chromium
	 */
	static BrowserCheck ofThisMachine(Path root) {
		Path folder = root.resolve("event-flow-dashboard/src/test/browser");
		String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
		if (!Files.isDirectory(folder.resolve("node_modules/playwright-core")) || !Files.isExecutable(Path.of(chromium))
				|| !nodeRuns()) {
			return null;
		}
		return new BrowserCheck(folder.resolve("check-dashboard.mjs"), chromium);
	}

	/**
	 * Waits until the page shows the flow live with the given members per group, and takes a
	 * screenshot.
	 * @return what the page showed, as JSON
	 */
	String expect(String url, Path screenshot, Map<String, Integer> members, Duration timeout) {
		List<String> command = new ArrayList<>(List.of("node", this.script.toString(), url, screenshot.toString()));
		members.forEach((group, count) -> command.add(group + "=" + count));
		try {
			Path output = Files.createTempFile("browser-check", ".log");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile());
				builder.environment().put("CHROMIUM_PATH", this.chromium);
				builder.environment().put("CHECK_TIMEOUT_MS", Long.toString(timeout.toMillis()));
				Process process = builder.start();
				if (!process.waitFor(timeout.plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly();
					throw new AssertionError("The browser check did not finish");
				}
				String text = Files.readString(output, StandardCharsets.UTF_8);
				if (process.exitValue() != 0) {
					throw new AssertionError("The browser check failed (screenshot " + screenshot + "): " + text);
				}
				return text.strip();
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run the browser check", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean nodeRuns() {
		try {
			Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
