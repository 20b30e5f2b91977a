package com.example.purchases.warmup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Sends the service's own busy requests to its own port, on loopback, before it reports ready
 * (Spring Boot announces readiness once the application runners are done). Until the JIT has
 * compiled them, the servlet container's, the filters' and the security's code run interpreted:
 * a fresh stack answered 100 purchases/s from its first second with a p99 of 6.7 to 9 s, most
 * of its CPU going to compiling and interpreting what a warm service runs in a fraction
 * (docs/benchmarks.md, P7).
 * <p>
 * The requests carry a bearer token that no issuer signed, so they go through the container,
 * the filters and the token's verification and are answered 401: nothing behind the security
 * runs, nothing is changed. They are marked with a value known only to this process, by which
 * {@link WarmUpAutoConfiguration} keeps them out of the metrics and traces. A failure never
 * stops the service: the warm-up ends, and the service starts cold.
 */
final class WarmUpRequests implements ApplicationRunner {

	/** The header that marks the warm-up's requests. */
	static final String HEADER = "Warm-Up";

	// Shaped like the system's tokens (an RS256 JWT), so that it is parsed and its signature
	// checked against the issuer's keys, and refused.
	private static final String UNSIGNED_TOKEN = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "."
			+ encode("{\"sub\":\"warm-up\"}") + "." + encode("not a signature");

	private static final Logger logger = LoggerFactory.getLogger(WarmUpRequests.class);

	private final WarmUpProperties properties;

	private final ApplicationContext context;

	private final String mark = UUID.randomUUID().toString();

	WarmUpRequests(WarmUpProperties properties, ApplicationContext context) {
		this.properties = properties;
		this.context = context;
	}

	boolean isWarmUp(HttpServletRequest request) {
		return this.mark.equals(request.getHeader(HEADER));
	}

	@Override
	public void run(ApplicationArguments args) {
		// No server of its own (a test's mock environment): nothing to warm.
		if (this.properties.requests().isEmpty() || this.properties.repeat() <= 0
				|| !(this.context instanceof WebServerApplicationContext server) || server.getWebServer() == null) {
			return;
		}
		int port = server.getWebServer().getPort();
		long started = System.nanoTime();
		long deadline = started + this.properties.timeout().toNanos();
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(1))
			.build();
		int sent = 0;
		try {
			for (int i = 0; i < this.properties.repeat() && System.nanoTime() < deadline; i++) {
				for (WarmUpProperties.Request request : this.properties.requests()) {
					// The first request waits for the issuer's keys, fetched once: each may take what is left.
					Duration left = Duration.ofNanos(deadline - System.nanoTime());
					if (left.isNegative() || left.isZero()) {
						break;
					}
					client.send(request(port, request, left), BodyHandlers.discarding());
					sent++;
				}
			}
			logger.info("Warmed up with {} requests in {} ms", sent, (System.nanoTime() - started) / 1_000_000);
		}
		catch (HttpTimeoutException ex) {
			// Its time was up while a request was on its way: the bound doing its work.
			logger.info("Warmed up with {} requests in {} ms, its time being up", sent,
					(System.nanoTime() - started) / 1_000_000);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Warm-up ended after {} requests: {}", sent, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private HttpRequest request(int port, WarmUpProperties.Request request, Duration timeout) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.path()))
			.timeout(timeout)
			.header("Authorization", "Bearer " + UNSIGNED_TOKEN)
			.header("Content-Type", "application/json")
			.header(HEADER, this.mark)
			.method(request.method().name(), BodyPublishers.ofString("{}"))
			.build();
	}

	private static String encode(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
