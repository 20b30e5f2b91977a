package com.example.purchases.e2e;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.example.purchases.e2e.ComposeStackExtension.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quickstart, run as a new user runs it, on a stack nobody has used yet: every
 * {@code curl} of its "Run it" section, as written (only the host ports are this stack's), must
 * answer what the README shows on the comment line under it. So the README cannot drift from
 * the system again. Values written {@code …} are whatever the system says (ids, times); every
 * other value, and every property name, must be as shown. A line {@code NAME=$(curl ...)} (a
 * token) is run the same way, and {@code $NAME} is what it printed in the commands after it.
 */
@Stack("docker-compose.yml")
@Order(0)
class QuickstartTests {

	private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_]+)=\\$\\(curl .*");

	private static SystemUnderTest system;

	@BeforeAll
	static void start(SystemUnderTest started) {
		system = started;
	}

	@Test
	void everyCurlOfTheReadmeQuickstartAnswersWhatTheReadmeShows() throws Exception {
		List<Step> steps = steps(Files.readString(ComposeStack.projectRoot().resolve("README.md")));
		assertThat(steps).as("curl commands with an answer in the README's quickstart").hasSizeGreaterThanOrEqualTo(4);
		Map<String, String> variables = new HashMap<>();
		for (Step step : steps) {
			String command = step.command()
				.replace("localhost:8080", "localhost:" + system.stack.gatewayPort())
				.replace("localhost:8088", "localhost:" + system.stack.dashboardPort())
				.replace("localhost:9000", "localhost:" + system.stack.authPort())
				.replace("localhost:8025", "localhost:" + system.stack.mailPort());
			if (step.variable() != null) {
				String value = run(command + "; printf %s \"$" + step.variable() + "\"", variables);
				assertThat(value).as(step.command()).matches("[A-Za-z0-9._-]{100,}");
				variables.put(step.variable(), value);
				continue;
			}
			JsonNode expected = SystemUnderTest.JSON.readTree(step.answer());
			// The subscribers react a moment later, as the README says: a user would try again.
			await(step.command()).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
				String answer = run(command, variables);
				List<String> differences = new ArrayList<>();
				compare("$", expected, SystemUnderTest.JSON.readTree(answer), differences);
				assertThat(differences).as(answer).isEmpty();
			});
			System.out.println("README step answered as shown: " + step.command().lines().findFirst().orElse(""));
		}
	}

	/** The curl commands of the "Run it" section that have a "# answer" line under them. */
	static List<Step> steps(String readme) {
		String section = readme.substring(readme.indexOf("## Run it"));
		section = section.substring(0, section.indexOf("\n## ", 1));
		List<Step> steps = new ArrayList<>();
		boolean inShell = false;
		StringBuilder command = null;
		for (String line : section.lines().toList()) {
			if (line.startsWith("```")) {
				inShell = !inShell && line.equals("```sh");
				command = null;
				continue;
			}
			if (!inShell) {
				continue;
			}
			if (command != null && command.toString().endsWith("\\")) {
				command.setLength(command.length() - 1);
				command.append(' ').append(line.strip());
			}
			else if (line.startsWith("curl ") || ASSIGNMENT.matcher(line).matches()) {
				command = new StringBuilder(line.strip());
			}
			if (command != null && !command.toString().endsWith("\\")) {
				Matcher assignment = ASSIGNMENT.matcher(command);
				if (assignment.matches()) {
					steps.add(new Step(command.toString(), null, assignment.group(1)));
					command = null;
				}
			}
			if (line.startsWith("# {") || line.startsWith("# [")) {
				if (command != null) {
					steps.add(new Step(command.toString(), line.substring(2), null));
				}
				command = null;
			}
		}
		return steps;
	}

	private static String run(String command, Map<String, String> variables) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD);
		builder.environment().putAll(variables);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("Did not finish: " + command);
		}
		return output;
	}

	private static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
		if (expected.isString() && expected.asString().equals("…")) {
			if (actual == null || actual.isMissingNode()) {
				differences.add(path + " is missing");
			}
			return;
		}
		if (actual == null || actual.getNodeType() != expected.getNodeType()) {
			differences.add(path + ": expected " + expected + ", was " + actual);
			return;
		}
		if (expected.isObject()) {
			TreeSet<String> expectedNames = new TreeSet<>(expected.propertyNames());
			TreeSet<String> actualNames = new TreeSet<>(actual.propertyNames());
			if (!expectedNames.equals(actualNames)) {
				differences.add(path + ": properties " + actualNames + ", the README shows " + expectedNames);
			}
			for (Map.Entry<String, JsonNode> property : expected.properties()) {
				compare(path + "." + property.getKey(), property.getValue(), actual.get(property.getKey()), differences);
			}
		}
		else if (expected.isArray()) {
			if (expected.size() != actual.size()) {
				differences.add(path + ": " + actual.size() + " elements, the README shows " + expected.size());
				return;
			}
			Iterator<JsonNode> actualElements = actual.values().iterator();
			int i = 0;
			for (JsonNode element : expected.values()) {
				compare(path + "[" + i++ + "]", element, actualElements.next(), differences);
			}
		}
		else if (expected.isNumber()) {
			if (new BigDecimal(expected.asString()).compareTo(new BigDecimal(actual.asString())) != 0) {
				differences.add(path + ": expected " + expected + ", was " + actual);
			}
		}
		else if (!expected.equals(actual)) {
			differences.add(path + ": expected " + expected + ", was " + actual);
		}
	}

	/**
	 * @param command the curl command, continuation lines joined
	 * @param answer what the README shows it answers; none for an assignment
	 * @param variable the variable an assignment sets
	 */
	record Step(String command, String answer, String variable) {
	}

}
