package com.example.purchases.gateway.web;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Tags each request's {@code http.server.requests} observation with the route that served it, so
 * that the Prometheus endpoint shows latency and status counts per route
 * ({@code http_server_requests_seconds_count{route="stock",status="200"}}); {@code none} for
 * what no route served (the status composition, errors).
 */
@Component
class RouteObservations extends DefaultServerRequestObservationConvention {

	@Override
	public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
		Object route = context.getCarrier().getAttribute(MvcUtils.GATEWAY_ROUTE_ID_ATTR);
		return super.getLowCardinalityKeyValues(context)
			.and(KeyValue.of("route", (route != null) ? route.toString() : "none"));
	}

}
