package com.example.purchases.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The head of a service's OpenAPI document ({@code /v3/api-docs}) when springdoc is on its class
 * path: its name ({@code spring.application.name}) and {@code info.app.description}, and the bearer token every
 * operation needs (which scope, the service's {@code api-security.rules} say). A service with
 * its own {@link OpenAPI} keeps it.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(value = OpenAPI.class, name = "org.springdoc.core.configuration.SpringDocConfiguration")
public class OpenApiAutoConfiguration {

	private static final String BEARER = "bearer-jwt";

	@Bean
	@ConditionalOnMissingBean
	OpenAPI serviceOpenApi(Environment environment) {
		String name = environment.getProperty("spring.application.name", "application");
		return new OpenAPI()
			.info(new Info().title(name).version("v1").description(environment.getProperty("info.app.description")))
			.components(new Components().addSecuritySchemes(BEARER,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.bearerFormat("JWT")
						.description("An access token of the system's authorization server, with the scope the "
								+ "operation needs (docs/security.md)")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
	}

}
