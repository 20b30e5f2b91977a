package com.example.purchases.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in replica of a service behind the gateway, on loopback: it answers its readiness
 * check, counts and records the requests it serves, and can be told to answer a path with a
 * given status and body, to hold its answers, to stop being ready, to answer its readiness check
 * late, or to drop connections.
 */
final class Replica implements AutoCloseable {

	final String name;

	final AtomicInteger served = new AtomicInteger();

	final List<Request> requests = new CopyOnWriteArrayList<>();

	private final HttpServer server;

	private final Map<String, Answer> answers = new ConcurrentHashMap<>();

	private volatile boolean ready = true;

	private volatile boolean dropping;

	private volatile Duration readinessDelay = Duration.ZERO;

	/** Answers the readiness check after {@link #readinessDelay}. */
	private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

	private volatile CountDownLatch held = new CountDownLatch(0);

	Replica(String name) throws IOException {
		this.name = name;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newFixedThreadPool(8));
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	String address() {
		return "127.0.0.1:" + port();
	}

	Replica answer(String path, int status, String body) {
		this.answers.put(path, new Answer(status, body));
		return this;
	}

	void ready(boolean ready) {
		this.ready = ready;
	}

	/** Readiness answered after this long: a replica too busy to answer its check in time. */
	void answerReadinessAfter(Duration delay) {
		this.readinessDelay = delay;
	}

	void dropConnections(boolean dropping) {
		this.dropping = dropping;
	}

	/** Requests wait until {@link #release()} (at most a minute): a replica that does not answer. */
	void hold() {
		this.held = new CountDownLatch(1);
	}

	void release() {
		this.held.countDown();
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		if (path.equals("/actuator/health/readiness")) {
			int status = this.ready ? 200 : 503;
			String body = this.ready ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}";
			this.later.schedule(() -> {
				respond(exchange, status, body);
				return null;
			}, this.readinessDelay.toMillis(), TimeUnit.MILLISECONDS);
			return;
		}
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readAllBytes();
		}
		this.served.incrementAndGet();
		this.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
				exchange.getRequestHeaders().getFirst("traceparent"),
				exchange.getRequestHeaders().getFirst("Authorization"), new String(body, StandardCharsets.UTF_8)));
		if (this.dropping) {
			exchange.close(); // no answer at all: as a replica that dies mid-request
			return;
		}
		try {
			this.held.await(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Answer answer = this.answers.getOrDefault(path, path.startsWith("/purchases/")
				? new Answer(404, "{\"title\":\"Not applied\",\"status\":404}")
				: new Answer(200, "{\"servedBy\":\"" + this.name + "\"}"));
		respond(exchange, answer.status(), answer.body());
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		release();
		this.later.shutdownNow();
		this.server.stop(0);
	}

	record Request(String method, String uri, String traceparent, String authorization, String body) {
	}

	private record Answer(int status, String body) {
	}

}
