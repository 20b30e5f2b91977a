package com.example.purchases.dashboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A live page of the event flow, read from Kafka alone: no service knows it exists.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class EventFlowDashboardApplication {

	public static void main(String[] args) {
		SpringApplication.run(EventFlowDashboardApplication.class, args);
	}

}
