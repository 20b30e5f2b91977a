package com.example.purchases.publisher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Accepts purchases over REST and publishes a {@code PurchaseCompleted} event for each one.
 * It does not know who listens.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PurchasePublisherApplication {

	public static void main(String[] args) {
		SpringApplication.run(PurchasePublisherApplication.class, args);
	}

}
