package com.example.purchases.publisher.purchase;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates the producer and fetches the topic's metadata before the publisher reports ready.
 * Otherwise the first requests after a start all wait for both at once, and the ones beyond
 * {@code purchases.publish.max-waiting-sends} get a 503 although the broker is fine.
 */
@Component
class ProducerWarmUp implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(ProducerWarmUp.class);

	private final KafkaTemplate<String, PurchaseCompleted> kafka;

	private final PublisherProperties properties;

	ProducerWarmUp(KafkaTemplate<String, PurchaseCompleted> kafka, PublisherProperties properties) {
		this.kafka = kafka;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		String topic = this.properties.topic().name();
		try {
			logger.info("Topic {} has {} partitions", topic, this.kafka.partitionsFor(topic).size());
		}
		catch (KafkaException | org.apache.kafka.common.KafkaException ex) {
			// Not fatal: the readiness probe reports the broker, and requests retry the metadata.
			logger.warn("No metadata for topic {} yet: {}", topic, ex.toString());
		}
	}

}
