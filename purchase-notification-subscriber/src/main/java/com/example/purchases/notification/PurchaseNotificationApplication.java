package com.example.purchases.notification;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Confirms each completed purchase to its customer by email (group
 * {@code purchase-notification}), and keeps the customers' contact preferences.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PurchaseNotificationApplication {

	public static void main(String[] args) {
		SpringApplication.run(PurchaseNotificationApplication.class, args);
	}

}
