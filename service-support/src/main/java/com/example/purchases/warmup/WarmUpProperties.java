package com.example.purchases.warmup;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;

/**
 * What a service sends itself before it reports ready, under {@code warm-up.*}.
 *
 * @param requests the requests of its busy paths ({@code POST /purchases}); none by default,
 * which switches the warm-up off
 * @param repeat how often each of them is sent
 * @param timeout the longest the warm-up may hold readiness back, whatever is left unsent: a
 * new replica is wanted soon (benchmark P6: ready within 8 s of its container's start), and the
 * first seconds of a warm-up do the most, compiling what ran interpreted
 */
@ConfigurationProperties("warm-up")
public record WarmUpProperties(@DefaultValue List<Request> requests, @DefaultValue("1000") int repeat,
		@DefaultValue("2s") Duration timeout) {

	/**
	 * @param method the request's method
	 * @param path its path on the service's port
	 */
	public record Request(HttpMethod method, String path) {

		public Request {
			if (method == null || path == null || !path.startsWith("/")) {
				throw new IllegalArgumentException("A warm-up request needs a method and a path starting with /");
			}
		}

	}

}
