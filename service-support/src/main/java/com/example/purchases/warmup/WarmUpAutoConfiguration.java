package com.example.purchases.warmup;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * A servlet service warms its busy paths before it reports ready ({@link WarmUpRequests}), when
 * its {@code application.yml} lists them under {@code warm-up.requests}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(ObservationPredicate.class)
@EnableConfigurationProperties(WarmUpProperties.class)
public class WarmUpAutoConfiguration {

	@Bean
	WarmUpRequests warmUpRequests(WarmUpProperties properties, ApplicationContext context) {
		return new WarmUpRequests(properties, context);
	}

	/**
	 * Leaves the warm-up's requests out of the request metrics and traces, and with them what
	 * runs inside them (such as Spring Security's observations, where a service switches them
	 * on), so that a start is not counted as a thousand refused requests.
	 */
	@Bean
	ObservationPredicate warmUpUnobserved(WarmUpRequests warmUp) {
		return (name, context) -> {
			if (context instanceof ServerRequestObservationContext request) {
				return !warmUp.isWarmUp(request.getCarrier());
			}
			return !(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
					&& warmUp.isWarmUp(attributes.getRequest()));
		};
	}

}
