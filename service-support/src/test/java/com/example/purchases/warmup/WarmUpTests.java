package com.example.purchases.warmup;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import com.example.purchases.testing.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service with a warm-up, on a real port, behind the real resource server: what it sends
 * itself arrives before it is ready, stops at the security, and is seen by no metric or trace,
 * while the requests of its clients are.
 */
@SpringBootTest(classes = WarmUpTests.Service.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "warm-up.requests[0].method=POST", "warm-up.requests[0].path=/things", "warm-up.repeat=50",
				"api-security.rules[0].paths=/things", "api-security.rules[0].scope=things:write",
				"spring.autoconfigure.exclude=org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration" })
class WarmUpTests {

	@Autowired
	FilterRegistrationBean<Arrivals> arrivals;

	@Autowired
	Things things;

	@Autowired
	Observed observed;

	@LocalServerPort
	int port;

	@Test
	void sendsItsRequestsToItselfBeforeItIsReadyAndTheyStopAtTheSecurity() {
		List<Arrival> warmUp = this.arrivals.getFilter().all.stream().filter(Arrival::marked).toList();
		assertThat(warmUp).hasSize(50)
			.allSatisfy((arrival) -> {
				assertThat(arrival.readiness()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
				assertThat(arrival.status()).isEqualTo(HttpStatus.UNAUTHORIZED.value());
			});
		assertThat(this.things.made.get()).isZero();
	}

	@Test
	void leavesItsRequestsOutOfTheObservationsButNotTheClientsOnes() {
		assertThat(this.observed.paths).doesNotContain("/things");

		TestIssuer.get().client(this.port, "things:write").post().uri("/things").exchange().expectStatus().isCreated();
		// Only this process knows the mark: a client that sends the header is observed like any other.
		TestIssuer.get().client(this.port, "things:read").post().uri("/things").header(WarmUpRequests.HEADER, "anything")
			.exchange().expectStatus().isForbidden();

		assertThat(this.observed.paths).filteredOn("/things"::equals).hasSize(2);
	}

	record Arrival(boolean marked, ReadinessState readiness, int status) {
	}

	static class Arrivals extends OncePerRequestFilter {

		final List<Arrival> all = new CopyOnWriteArrayList<>();

		private final ApplicationAvailability availability;

		Arrivals(ApplicationAvailability availability) {
			this.availability = availability;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			ReadinessState readiness = this.availability.getReadinessState();
			chain.doFilter(request, response);
			this.all.add(new Arrival(request.getHeader(WarmUpRequests.HEADER) != null, readiness, response.getStatus()));
		}

	}

	@RestController
	static class Things {

		final AtomicInteger made = new AtomicInteger();

		@PostMapping("/things")
		@ResponseStatus(HttpStatus.CREATED)
		void make() {
			this.made.incrementAndGet();
		}

	}

	static class Observed implements ObservationHandler<ServerRequestObservationContext> {

		final List<String> paths = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(ServerRequestObservationContext context) {
			this.paths.add(context.getCarrier().getRequestURI());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ServerRequestObservationContext;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Service {

		@Bean
		FilterRegistrationBean<Arrivals> arrivals(ApplicationAvailability availability) {
			FilterRegistrationBean<Arrivals> registration = new FilterRegistrationBean<>(new Arrivals(availability));
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@Bean
		Things things() {
			return new Things();
		}

		@Bean
		Observed observed() {
			return new Observed();
		}

	}

}
