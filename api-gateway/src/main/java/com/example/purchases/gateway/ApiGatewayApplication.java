package com.example.purchases.gateway;

import java.security.Security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The one entry point clients use: routes each request to a ready replica of the service that
 * owns it, so that scaling a service never changes a URL.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApiGatewayApplication {

	public static void main(String[] args) {
		// Replicas come and go under the same name: the JVM must not keep an address for 30 s.
		Security.setProperty("networkaddress.cache.ttl", "1");
		Security.setProperty("networkaddress.cache.negative.ttl", "1");
		SpringApplication.run(ApiGatewayApplication.class, args);
	}

}
