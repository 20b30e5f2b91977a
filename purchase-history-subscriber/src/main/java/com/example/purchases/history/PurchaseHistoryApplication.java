package com.example.purchases.history;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Consolidates every completed purchase into its customer's history, as consumer group
 * {@code purchase-history}, and answers queries about it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PurchaseHistoryApplication {

	public static void main(String[] args) {
		SpringApplication.run(PurchaseHistoryApplication.class, args);
	}

}
