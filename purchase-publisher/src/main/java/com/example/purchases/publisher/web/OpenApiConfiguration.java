package com.example.purchases.publisher.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs}, browsable at {@code /swagger-ui.html}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI purchasePublisherApi() {
		return new OpenAPI().info(new Info().title("purchase-publisher")
			.version("v1")
			.description("Place purchases. Each accepted purchase is published as a PurchaseCompleted event "
					+ "(contracts/asyncapi.yaml) to the purchases.completed topic."));
	}

}
