package com.example.purchases.stock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Keeps the stock of every SKU, as consumer group {@code stock-replenishment}: purchased units
 * leave stock, and when a SKU runs low a replenishment order is opened and announced with a
 * {@code StockReplenishmentRequested} event.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class StockReplenishmentApplication {

	public static void main(String[] args) {
		SpringApplication.run(StockReplenishmentApplication.class, args);
	}

}
