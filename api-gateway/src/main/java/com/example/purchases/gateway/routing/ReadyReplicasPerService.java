package com.example.purchases.gateway.routing;

import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The load balancer's own context of one service (not the application's, hence no
 * {@code @Configuration} and no nesting in one): its replicas, and the requests that find one gone.
 */
class ReadyReplicasPerService {

	@Bean
	ReadyReplicas readyReplicas(Environment environment, ReplicaProperties properties) {
		return new ReadyReplicas(environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME), properties);
	}

	@Bean
	FailedReplicas failedReplicas(ReadyReplicas readyReplicas) {
		return new FailedReplicas(readyReplicas);
	}

}
