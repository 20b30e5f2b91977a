package com.example.purchases.history;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class PurchaseHistoryApplication {

	public static void main(String[] args) {
		SpringApplication.run(PurchaseHistoryApplication.class, args);
	}

}
