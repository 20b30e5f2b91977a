package com.example.purchases.authorization;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Issues the access tokens of the system's clients ({@code application.yml} lists them) and signs
 * in the operator of the live page.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthorizationServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(AuthorizationServerApplication.class, args);
	}

}
