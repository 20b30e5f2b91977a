package com.example.purchases.gateway.routing;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.http.HttpConnectTimeoutException;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * Takes a replica out of its service's rotation as soon as a request cannot connect to it,
 * rather than at the next readiness check: in the two seconds between a replica's death and that
 * check, a request and its retries could otherwise pick the dead replica again and again. The
 * next check puts it back if it answers ready.
 */
final class FailedReplicas implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

	private final ReadyReplicas replicas;

	FailedReplicas(ReadyReplicas replicas) {
		this.replicas = replicas;
	}

	@Override
	public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
		return ServiceInstance.class.isAssignableFrom(serverTypeClass);
	}

	@Override
	public void onStart(Request<Object> request) {
	}

	@Override
	public void onStartRequest(Request<Object> request, Response<ServiceInstance> response) {
	}

	@Override
	public void onComplete(CompletionContext<Object, ServiceInstance, Object> completion) {
		if (completion.status() == CompletionContext.Status.FAILED && completion.getLoadBalancerResponse() != null
				&& completion.getLoadBalancerResponse().hasServer() && cannotConnect(completion.getThrowable())) {
			this.replicas.eject(completion.getLoadBalancerResponse().getServer());
		}
	}

	private static boolean cannotConnect(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
					|| cause instanceof HttpConnectTimeoutException) {
				return true;
			}
		}
		return false;
	}

}
