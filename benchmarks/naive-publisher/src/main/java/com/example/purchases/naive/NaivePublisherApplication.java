package com.example.purchases.naive;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark baseline: the publisher of a tutorial. Same framework, same broker, same topic
 * shape as purchase-publisher; none of its validation, ids, envelope or tuning.
 */
@SpringBootApplication
@RestController
public class NaivePublisherApplication {

	private final KafkaTemplate<String, Object> kafka;

	NaivePublisherApplication(KafkaTemplate<String, Object> kafka) {
		this.kafka = kafka;
	}

	public static void main(String[] args) {
		SpringApplication.run(NaivePublisherApplication.class, args);
	}

	record Purchase(String customerId, String currency, List<Map<String, Object>> items) {
	}

	@PostMapping("/purchases")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> publish(@RequestBody Purchase purchase) throws Exception {
		this.kafka.send("naive.purchases", purchase.customerId(), purchase).get();
		return Map.of("status", "published");
	}

	/** The ceiling: the same request bound and answered, nothing published. */
	@PostMapping("/noop")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> noop(@RequestBody Purchase purchase) {
		return Map.of("status", "ignored");
	}

	@Bean
	NewTopic naivePurchases() {
		return TopicBuilder.name("naive.purchases").partitions(6).replicas(1).build();
	}

}
