package com.example.purchases.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The system as users start it: {@code docker-compose.yml} driven through the compose command
 * line, {@code docker compose} (v2) or {@code docker-compose} (1.29), whichever this machine
 * has. Runs under its own project name and on free host ports, so that it never touches a stack
 * the user is running. Every command is bounded by a timeout.
 */
final class ComposeStack {

	private final Path root;

	private final List<String> compose;

	private final String project;

	private final Map<String, String> environment = new HashMap<>();

	private final List<String> files;

	/** The secured cluster's CA certificate, once read from a broker (it is made at first start). */
	private volatile String kafkaCertificateAuthority;

	private ComposeStack(Path root, List<String> compose, List<String> files) {
		this.root = root;
		this.compose = compose;
		this.files = files;
		this.project = "e2e" + Long.toString(System.currentTimeMillis(), 36);
		this.environment.put("GATEWAY_PORT", Integer.toString(freePort()));
		this.environment.put("DASHBOARD_PORT", Integer.toString(freePort()));
		this.environment.put("AUTH_PORT", Integer.toString(freePort()));
		this.environment.put("MAIL_PORT", Integer.toString(freePort()));
		// The issuer and the live page as a browser on this machine reaches them (README).
		this.environment.put("AUTH_ISSUER", "http://localhost:" + this.environment.get("AUTH_PORT"));
		this.environment.put("DASHBOARD_URL", "http://localhost:" + this.environment.get("DASHBOARD_PORT"));
		this.environment.put("KAFKA_PORT", Integer.toString(freePort()));
		this.environment.put("KAFKA_2_PORT", Integer.toString(freePort()));
		this.environment.put("KAFKA_3_PORT", Integer.toString(freePort()));
	}

	/**
	 * @return the stack, or {@code null} when this machine has no working Docker engine or no
	 * compose command
	 */
	static ComposeStack ofThisMachine(Path root, String... files) {
		if (!succeeds(List.of("docker", "info"), Duration.ofSeconds(30))) {
			return null;
		}
		for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
			List<String> version = new ArrayList<>(candidate);
			version.add("version");
			if (succeeds(version, Duration.ofSeconds(30))) {
				return new ComposeStack(root, candidate, List.of(files));
			}
		}
		return null;
	}

	String project() {
		return this.project;
	}

	/** Where clients on this machine reach the system: the gateway. */
	int gatewayPort() {
		return Integer.parseInt(this.environment.get("GATEWAY_PORT"));
	}

	int dashboardPort() {
		return Integer.parseInt(this.environment.get("DASHBOARD_PORT"));
	}

	/** Where the mail server shows what it received (GreenMail's web API). */
	int mailPort() {
		return Integer.parseInt(this.environment.get("MAIL_PORT"));
	}

	/** Where clients on this machine get their tokens: the authorization server. */
	int authPort() {
		return Integer.parseInt(this.environment.get("AUTH_PORT"));
	}

	/** Where clients on this machine reach the broker. */
	String kafkaBootstrap() {
		return "localhost:" + this.environment.get("KAFKA_PORT");
	}

	/**
	 * Whether the brokers are the secured cluster's ({@code docker-compose.cluster.yml}: TLS,
	 * SCRAM, ACLs), which clients reach as a principal.
	 */
	boolean securedKafka() {
		return this.files.contains("docker-compose.cluster.yml");
	}

	/**
	 * The settings of a Kafka client on this machine: on the secured cluster, logged in as
	 * {@code principal} with its development password, trusting the CA the stack made.
	 */
	Map<String, Object> kafkaClient(String principal, String password) {
		Map<String, Object> config = new HashMap<>();
		config.put("bootstrap.servers", kafkaBootstrap());
		if (securedKafka()) {
			config.put("security.protocol", "SASL_SSL");
			config.put("sasl.mechanism", "SCRAM-SHA-512");
			config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
					+ principal + "\" password=\"" + password + "\";");
			config.put("ssl.truststore.type", "PEM");
			config.put("ssl.truststore.certificates", kafkaCertificateAuthority());
		}
		return config;
	}

	/** The certificate of the CA that signed the secured cluster's brokers, PEM, read once. */
	String kafkaCertificateAuthority() {
		String certificate = this.kafkaCertificateAuthority;
		if (certificate == null) {
			certificate = exec("kafka", "cat", "/etc/kafka/secrets/ca.crt");
			this.kafkaCertificateAuthority = certificate;
		}
		return certificate;
	}

	/**
	 * Runs one of Kafka's tools ({@code /opt/kafka/bin/<tool>}) in the first broker, against its
	 * own listener for the compose network, as the administrator on the secured cluster.
	 */
	String kafkaTool(String tool, String... arguments) {
		List<String> command = new ArrayList<>(List.of("/opt/kafka/bin/" + tool));
		if (securedKafka()) {
			command.addAll(List.of("--bootstrap-server", "localhost:29091", "--command-config",
					"/etc/kafka/secrets/admin.properties"));
		}
		else {
			command.addAll(List.of("--bootstrap-server", "localhost:29092"));
		}
		command.addAll(List.of(arguments));
		return exec("kafka", command.toArray(String[]::new));
	}

	/** The container ids of a service's replicas, in replica order. */
	List<String> containers(String service) {
		List<String> ids = new ArrayList<>();
		for (int index = 1; index <= 20; index++) {
			try {
				String id = command(List.of("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + this.project,
						"--filter", "label=com.docker.compose.service=" + service, "--filter",
						"label=com.docker.compose.container-number=" + index), Duration.ofSeconds(30)).strip();
				if (id.isEmpty()) {
					break;
				}
				ids.add(id);
			}
			catch (RuntimeException ex) {
				break;
			}
		}
		return ids;
	}

	/** A container's address on the compose network. */
	String address(String container) {
		return command(List.of("docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
				container), Duration.ofSeconds(30)).strip();
	}

	/** Sends SIGKILL to a container: no shutdown hook, no goodbye. */
	void kill(String container) {
		command(List.of("docker", "kill", "--signal", "KILL", container), Duration.ofSeconds(30));
	}

	/** Starts stopped or killed containers again and waits until everything is healthy. */
	void start(String... containers) {
		for (String container : containers) {
			command(List.of("docker", "start", container), Duration.ofSeconds(60));
		}
		awaitHealthy(Duration.ofMinutes(5));
	}

	/** Starts a stopped service again and waits until everything is healthy. */
	void startService(String service) {
		run(Duration.ofMinutes(2), "start", service);
		awaitHealthy(Duration.ofMinutes(5));
	}

	/** The root of the project, where docker-compose.yml is. */
	static Path projectRoot() {
		return Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
	}

	/** Stops a service's containers gracefully. */
	void stop(String service) {
		run(Duration.ofMinutes(2), "stop", service);
	}

	/** Builds the service images from the jars Maven packaged. */
	void build() {
		run(Duration.ofMinutes(10), "build");
	}

	/**
	 * Starts the stack (or changes its scale) and waits until every container is healthy.
	 * @param scale replicas per service, for the services to scale
	 */
	void up(Map<String, Integer> scale) {
		List<String> arguments = new ArrayList<>(List.of("up", "-d", "--no-build"));
		scale.forEach((service, replicas) -> {
			arguments.add("--scale");
			arguments.add(service + "=" + replicas);
		});
		run(Duration.ofMinutes(5), arguments.toArray(String[]::new));
		awaitHealthy(Duration.ofMinutes(5));
	}

	/**
	 * What a service's replica says about itself on its management port (8081), which no host
	 * port publishes: {@code curl} in its own container.
	 */
	String insideReplica(String container, String path) {
		return command(List.of("docker", "exec", container, "curl", "-fsS", "http://localhost:8081" + path),
				Duration.ofSeconds(30));
	}

	/** The same, as an operator with a token ({@code POST} when {@code post}). */
	String insideReplica(String container, String path, String bearer, boolean post) {
		List<String> curl = new ArrayList<>(List.of("docker", "exec", container, "curl", "-sS", "-H",
				"Authorization: " + bearer));
		if (post) {
			curl.addAll(List.of("-X", "POST"));
		}
		curl.add("http://localhost:8081" + path);
		return command(curl, Duration.ofSeconds(60));
	}

	/** What {@code docker inspect} says of a container, as JSON. */
	String inspect(String container) {
		return command(List.of("docker", "inspect", container), Duration.ofSeconds(30));
	}

	/** Runs a command in the first container of a service and returns what it printed. */
	String exec(String service, String... command) {
		List<String> arguments = new ArrayList<>(List.of("exec", "-T", service));
		arguments.addAll(List.of(command));
		return run(Duration.ofMinutes(1), arguments.toArray(String[]::new));
	}

	/** The last lines each container logged. */
	String logs() {
		return logsOf(null, 200);
	}

	/** The last lines one service's containers logged (every service's when {@code null}). */
	String logsOf(String service, int lines) {
		List<String> arguments = new ArrayList<>(List.of("logs", "--no-color", "--tail=" + lines));
		if (service != null) {
			arguments.add(service);
		}
		try {
			return run(Duration.ofMinutes(1), arguments.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			return "(no logs: " + ex.getMessage() + ")";
		}
	}

	/** Fails unless Maven packaged the jars the images are built from. */
	void requireBuiltJars() {
		for (String module : List.of("purchase-publisher", "purchase-history-subscriber",
				"stock-replenishment-subscriber", "purchase-notification-subscriber", "event-flow-dashboard", "api-gateway",
				"authorization-server")) {
			try (var jars = Files.list(this.root.resolve(module).resolve("target"))) {
				if (jars.map((jar) -> jar.getFileName().toString())
					.noneMatch((name) -> name.startsWith(module) && name.endsWith(".jar"))) {
					throw new IllegalStateException(module + " is not packaged: run mvn verify from the root");
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(module + " is not packaged: run mvn verify from the root", ex);
			}
		}
	}

	/**
	 * Prints the containers' logs when something failed, then removes everything; fails if a
	 * container was killed for memory or restarted by its restart policy, which the checks
	 * above it could otherwise survive unnoticed.
	 */
	void tearDown(boolean failed) {
		List<String> restarted = restartedContainers();
		if (failed || !restarted.isEmpty()) {
			System.out.println("===== container logs of " + this.project + " =====");
			System.out.println(logs());
		}
		down();
		if (!restarted.isEmpty()) {
			throw new AssertionError("Containers restarted or killed for memory: " + restarted);
		}
	}

	/** Containers the engine restarted, or killed for lack of memory. */
	List<String> restartedContainers() {
		List<String> restarted = new ArrayList<>();
		for (String id : run(Duration.ofSeconds(30), "ps", "-q").lines().filter((id) -> !id.isBlank()).toList()) {
			String state = command(List.of("docker", "inspect", "-f", "{{.Name}} {{.RestartCount}} {{.State.OOMKilled}}", id),
					Duration.ofSeconds(30)).strip();
			String[] fields = state.split(" ");
			if (!fields[1].equals("0") || fields[2].equals("true")) {
				restarted.add(state);
			}
		}
		return restarted;
	}

	/** Stops and removes the containers, the network and the volumes. */
	void down() {
		run(Duration.ofMinutes(3), "down", "--volumes", "--remove-orphans", "--timeout", "20");
	}

	/**
	 * Waits until every container has reported healthy since the wait began. Not all at one
	 * instant: under load on this machine a readiness check can take longer than the image's
	 * healthcheck allows, three late ones in a row mark a busy container unhealthy for a few
	 * seconds, and with a dozen containers one of them is nearly always in such a dip. Each one
	 * coming back is what a user checks; a container that exits fails the wait at once.
	 */
	private void awaitHealthy(Duration timeout) {
		// Written by Awaitility's polling thread, read here once it gave up: only whole polls.
		AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
		Set<String> seenHealthy = ConcurrentHashMap.newKeySet();
		long began = System.nanoTime();
		try {
			Awaitility.await("every container healthy")
				.atMost(timeout)
				.pollInterval(Duration.ofSeconds(2))
				.until(() -> allHealthySince(last, seenHealthy));
			System.out.printf("Every container of %s healthy within %d s%n", this.project,
					TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
		}
		catch (ConditionTimeoutException ex) {
			Map<String, String> waitingFor = new TreeMap<>(last.get());
			waitingFor.keySet().removeAll(seenHealthy);
			throw new IllegalStateException("Not healthy within " + timeout + ": "
					+ (last.get().isEmpty() ? "the project listed no containers" : waitingFor.toString())
					+ lastHealthCheckOutputs(waitingFor.keySet()), ex);
		}
	}

	private boolean allHealthySince(AtomicReference<Map<String, String>> lastPoll, Set<String> seenHealthy) {
		Map<String, String> last = new TreeMap<>();
		for (String id : run(Duration.ofSeconds(30), "ps", "-q").lines().filter((id) -> !id.isBlank()).toList()) {
			String[] state = command(List.of("docker", "inspect", "-f",
					"{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}",
					id), Duration.ofSeconds(30)).strip().split(" ");
			String name = state[0].replaceFirst("^/", "");
			last.put(name, state[1] + " " + state[2]);
			// A step that runs once (the secured cluster's certificates and ACLs) has no
			// healthcheck, and is done when it exited without an error.
			boolean stepDone = state[1].equals("exited") && state[2].equals("none") && state[3].equals("0");
			if (stepDone) {
				seenHealthy.add(name);
			}
			else if (state[1].equals("exited") || state[1].equals("dead")) {
				throw new IllegalStateException("A container stopped: " + name + " " + last);
			}
			if (state[2].equals("healthy")) {
				seenHealthy.add(name);
			}
		}
		lastPoll.set(last);
		return !last.isEmpty() && seenHealthy.containsAll(last.keySet());
	}

	/** What the healthcheck of each container printed the last time, to say why it failed. */
	private String lastHealthCheckOutputs(Set<String> containers) {
		StringBuilder outputs = new StringBuilder();
		for (String container : containers) {
			outputs.append("\n").append(container).append(": ").append(command(List.of("docker", "inspect", "-f",
					"{{if .State.Health}}{{range .State.Health.Log}}[{{.ExitCode}} {{.Output}}] {{end}}{{end}}", container),
					Duration.ofSeconds(30)).strip());
		}
		return outputs.toString();
	}

	private String run(Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>(this.compose);
		command.addAll(List.of("--project-name", this.project));
		for (String file : this.files) {
			command.addAll(List.of("--file", this.root.resolve(file).toString()));
		}
		command.addAll(List.of(arguments));
		return command(command, timeout);
	}

	private String command(List<String> command, Duration timeout) {
		try {
			Path output = Files.createTempFile("compose", ".log");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).directory(this.root.toFile())
					.redirectErrorStream(true)
					.redirectOutput(output.toFile());
				builder.environment().putAll(this.environment);
				Process process = builder.start();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException("Timed out after " + timeout + ": " + String.join(" ", command));
				}
				String text = Files.readString(output, StandardCharsets.UTF_8);
				if (process.exitValue() != 0) {
					throw new IllegalStateException("Exit " + process.exitValue() + ": " + String.join(" ", command)
							+ System.lineSeparator() + text);
				}
				return text;
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + String.join(" ", command), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted: " + String.join(" ", command), ex);
		}
	}

	private static boolean succeeds(List<String> command, Duration timeout) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return false;
			}
			return process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free port", ex);
		}
	}

}
