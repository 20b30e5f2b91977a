package com.example.purchases.stock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class StockReplenishmentApplication {

	public static void main(String[] args) {
		SpringApplication.run(StockReplenishmentApplication.class, args);
	}

}
