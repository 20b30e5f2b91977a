package com.example.purchases.subscriber;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.example.purchases.messaging.EventContract;
import com.example.purchases.messaging.EventSchema;

import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up rehearses the contract's own example, read as a record of the topic would be, as
 * often as it is told or as long as it may, applies nothing, and ends quietly when a rehearsal
 * fails.
 */
class SubscriberWarmUpTests {

	private static final String TYPE = "com.example.purchase.completed.v1";

	private final Rehearsing handler = new Rehearsing();

	private final SubscriberPipeline<Purchase> pipeline = new SubscriberPipeline<>(
			new EventReader<>(EventSchema.load("purchase-completed.v1.schema.json"), Purchase.class, TYPE), this.handler,
			null, null, "group", new SimpleMeterRegistry());

	private final SubscriberWarmUp warmUp = new SubscriberWarmUp(this.pipeline, "group", TYPE,
			new SubscriberProperties.WarmUp(0, Duration.ZERO));

	@Test
	void rehearsesTheContractsExampleAsARecordOfTheTopicWouldBeRead() {
		EventContract.Example example = EventContract.exampleOf(TYPE).orElseThrow();
		int done = this.warmUp.rehearse(SubscriberWarmUp.record(example), new SubscriberProperties.WarmUp(25, Duration.ofMinutes(1)));
		assertThat(done).isEqualTo(25);
		assertThat(this.handler.rehearsed).hasSize(25).allSatisfy((event) -> {
			assertThat(event.eventId()).isEqualTo(example.headers().get("ce_id"));
			assertThat(event.event().customerId()).isEqualTo(example.payload().get("customerId"));
			// The example's amount, exact: 39.80 in the contract, as a decimal.
			assertThat(event.event().total()).isEqualByComparingTo(String.valueOf(example.payload().get("total")));
		});
		assertThat(this.handler.applied).isZero();
	}

	@Test
	void rehearsesBeforeTheListenerStartsWhenTheSubscriberAsksAndNotOtherwise() {
		new SubscriberWarmUp(this.pipeline, "group", TYPE, new SubscriberProperties.WarmUp(0, Duration.ofMinutes(1))).start();
		assertThat(this.handler.rehearsed).isEmpty();
		SubscriberWarmUp warmUp = new SubscriberWarmUp(this.pipeline, "group", TYPE,
				new SubscriberProperties.WarmUp(50, Duration.ofMinutes(1)));
		warmUp.start();
		assertThat(this.handler.rehearsed).hasSize(50)
			.allSatisfy((event) -> assertThat(event.topic()).isEqualTo("warm-up"));
		assertThat(this.handler.applied).isZero();
		assertThat(warmUp.getPhase()).isLessThan(new ConcurrentMessageListenerContainer<>(
				new DefaultKafkaConsumerFactory<>(Map.of()), new ContainerProperties("topic")).getPhase());
	}

	@Test
	@Timeout(30)
	void stopsAtItsTimeoutWhateverIsLeft() {
		EventContract.Example example = EventContract.exampleOf(TYPE).orElseThrow();
		int done = this.warmUp.rehearse(SubscriberWarmUp.record(example),
				new SubscriberProperties.WarmUp(Integer.MAX_VALUE, Duration.ofMillis(200)));
		assertThat(done).isPositive().isLessThan(Integer.MAX_VALUE).isEqualTo(this.handler.rehearsed.size());
	}

	@Test
	void endsAtTheFirstFailedRehearsalWithoutFailingTheStart() {
		this.handler.failAt = 3;
		EventContract.Example example = EventContract.exampleOf(TYPE).orElseThrow();
		int done = this.warmUp.rehearse(SubscriberWarmUp.record(example), new SubscriberProperties.WarmUp(100, Duration.ofMinutes(1)));
		assertThat(done).isEqualTo(2);
	}

	@Test
	void findsNoExampleOfATypeTheContractDoesNotHave() {
		assertThat(EventContract.exampleOf("com.example.unknown.v1")).isEmpty();
		assertThat(EventContract.exampleOf("com.example.stock.replenishment-requested.v1")).isPresent();
	}

	record Purchase(UUID purchaseId, String customerId, BigDecimal total) {
	}

	static final class Rehearsing implements EventHandler<Purchase> {

		final List<IncomingEvent<Purchase>> rehearsed = new ArrayList<>();

		int applied;

		int failAt;

		@Override
		public int apply(List<IncomingEvent<Purchase>> events) {
			this.applied += events.size();
			return events.size();
		}

		@Override
		public void rehearse(IncomingEvent<Purchase> event) {
			if (this.rehearsed.size() + 1 == this.failAt) {
				throw new IllegalStateException("the database is not there yet");
			}
			this.rehearsed.add(event);
		}

	}

}
