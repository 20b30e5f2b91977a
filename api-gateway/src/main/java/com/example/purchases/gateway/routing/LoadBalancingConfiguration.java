package com.example.purchases.gateway.routing;

import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Configuration;

/**
 * Every {@code lb://<service>} of a route, and every lookup of the status composition, spreads
 * its requests over the {@link ReadyReplicas} of that service, in turn.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = ReadyReplicasPerService.class)
class LoadBalancingConfiguration {

}
