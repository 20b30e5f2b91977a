package com.example.purchases.publisher.purchase;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import com.example.purchases.testing.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher against the broker image users run ({@code KAFKA_IMAGE}, default
 * {@code apache/kafka:4.1.2}), including the broker going away. Skipped where there is no
 * Docker.
 */
// Testcontainers first: its extension then stops the container after Spring closed the context.
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.producer.properties.max.block.ms=2000",
				"spring.kafka.producer.properties.request.timeout.ms=1500",
				"spring.kafka.producer.properties.delivery.timeout.ms=3000", "purchases.publish.timeout=6s" })
@AutoConfigureRestTestClient
@DirtiesContext
class PublisherAgainstKafkaContainerTests {

	@Container
	@ServiceConnection
	static final KafkaContainer kafka = new KafkaContainer(
			DockerImageName.parse(System.getenv().getOrDefault("KAFKA_IMAGE", "apache/kafka:4.1.2"))
				.asCompatibleSubstituteFor("apache/kafka"));

	@Autowired
	RestTestClient http;

	@BeforeEach
	void checkout() {
		this.http = TestIssuer.get().authorize(this.http, "purchases:write");
	}

	@Test
	void publishesToTheBrokerAndAnswers503QuicklyOnceItIsGone() {
		String body = """
				{"customerId": "c-42", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 2, "unitPrice": 19.90}]}""";
		String purchaseId;
		try (TopicProbe topic = new TopicProbe(kafka.getBootstrapServers(), "purchases.completed")) {
			purchaseId = this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON).body(body)
				.exchange()
				.expectStatus().isAccepted()
				.expectBody(PurchaseAccepted.class).returnResult().getResponseBody().purchaseId().toString();
			assertThat(topic.await(1, Duration.ofSeconds(10))).singleElement()
				.satisfies((record) -> assertThat(record.key()).isEqualTo("c-42"));
		}
		assertThat(purchaseId).isNotBlank();

		kafka.stop();

		Instant start = Instant.now();
		this.http.post().uri("/purchases").contentType(MediaType.APPLICATION_JSON).body(body)
			.exchange()
			.expectStatus().isEqualTo(503)
			.expectHeader().exists("Retry-After");
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(8));
	}

}
