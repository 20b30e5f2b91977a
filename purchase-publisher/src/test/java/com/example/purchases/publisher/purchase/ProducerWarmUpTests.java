package com.example.purchases.publisher.purchase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first requests after a start find the producer ready: none of a burst is refused for
 * waiting on producer creation or topic metadata (at most 64 requests may wait for those).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ProducerWarmUpTests {

	@LocalServerPort
	int port;

	@Test
	void aBurstOfFirstRequestsIsAccepted() {
		HttpClient client = HttpClient.newHttpClient();
		List<CompletableFuture<HttpResponse<String>>> burst = IntStream.range(0, 160)
			.mapToObj((i) -> client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/purchases"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"customerId": "c-first-%d", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": 5}]}
						""".formatted(i)))
				.build(), HttpResponse.BodyHandlers.ofString()))
			.toList();

		assertThat(burst).extracting((response) -> response.join().statusCode()).containsOnly(202);
	}

}
