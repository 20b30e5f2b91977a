package com.example.purchases.publisher.purchase;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.purchases.testing.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No broker at the configured address: requests fail fast and clearly, the process stays
 * alive and reports itself not ready.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.admin.auto-create=false", "spring.kafka.producer.properties.max.block.ms=1500",
				"spring.kafka.producer.properties.request.timeout.ms=1000",
				"spring.kafka.producer.properties.delivery.timeout.ms=2000", "purchases.publish.timeout=4s",
				"purchases.publish.max-in-flight=4", "messaging.health-timeout=1s" })
@AutoConfigureRestTestClient
class UnreachableBrokerTests {

	@Autowired
	RestTestClient http;

	@LocalManagementPort
	int managementPort;

	RestTestClient operations;

	@BeforeEach
	void clients() {
		this.http = TestIssuer.get().authorize(this.http, "purchases:write");
		this.operations = TestIssuer.get().client(this.managementPort, "events:replay");
	}

	@DynamicPropertySource
	static void nobodyListening(DynamicPropertyRegistry registry) throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		registry.add("spring.kafka.bootstrap-servers", () -> "localhost:" + port);
	}

	@Test
	void answers503WithRetryAfterWithinTheConfiguredBound() {
		Instant start = Instant.now();
		this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k-1")
			.body("""
					{"customerId": "c-42", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 2, "unitPrice": 19.90}]}""")
			.exchange()
			.expectStatus().isEqualTo(503)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals("Retry-After", "5")
			.expectBody().jsonPath("$.title").isEqualTo("Event broker unavailable");
		// Bounded by purchases.publish.timeout (4 s here), never a hung request.
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(6));
	}

	@Test
	void anOutageHoldsNoMoreThanMaxInFlightRequestThreads() throws Exception {
		// 40 clients at once. The producer has never had the topic's metadata, so each send
		// would hold its request thread for max.block.ms (1.5 s here): 4 may, the others are
		// answered at once.
		ExecutorService clients = Executors.newFixedThreadPool(40);
		List<Future<Duration>> answers = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				String key = "k-storm-" + i;
				answers.add(clients.submit(() -> {
					Instant start = Instant.now();
					this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON)
						.header("Idempotency-Key", key)
						.body("""
								{"customerId": "c-44", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": 1}]}""")
						.exchange()
						.expectStatus().isEqualTo(503)
						.expectHeader().valueEquals("Retry-After", "5");
					return Duration.between(start, Instant.now());
				}));
			}
			long waited = 0;
			for (Future<Duration> answer : answers) {
				if (answer.get().compareTo(Duration.ofMillis(1200)) >= 0) {
					waited++;
				}
			}
			assertThat(waited).isBetween(1L, 4L);
		}
		finally {
			clients.shutdownNow();
		}
		this.operations.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
			.value((text) -> assertThat(text)
				.containsPattern("purchases_publish_failures_total\\{[^}]*reason=\"backpressure\"[^}]*\\} [1-9]"));
	}

	@Test
	void staysAliveButNotReady() {
		this.operations.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.operations.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503).expectBody()
			.jsonPath("$.components.kafka.status").isEqualTo("DOWN")
			.jsonPath("$.components.kafka.details.error").isNotEmpty();
	}

	@Test
	void countsTheFailure() {
		this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON).body("""
				{"customerId": "c-43", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": 1}]}""")
			.exchange()
			.expectStatus().isEqualTo(503);
		this.operations.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
			.value((text) -> assertThat(text).containsPattern("purchases_publish_failures_total\\{[^}]*\\} [1-9]"));
	}

}
