package com.example.purchases.subscriber;

import java.time.Duration;
import java.util.Arrays;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.messaging.EventContract;
import com.example.purchases.messaging.EventSchema;
import com.example.purchases.messaging.MessagingAutoConfiguration;
import com.example.purchases.messaging.RecordSpans;
import com.example.purchases.messaging.Topics;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.Assert;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A subscriber, from what it declares ({@code subscriber.*} and an {@link EventHandler} bean):
 * the group's listener container, the reader of the contract, the classification of failures,
 * the group's dead-letter topic and its replay ({@code /actuator/deadletters}), the group's lag
 * and progress (metrics and readiness), and the lookup of applied events
 * ({@code subscriber.lookup-path}). A subscriber module keeps its domain only.
 */
@AutoConfiguration(after = { KafkaAutoConfiguration.class, MessagingAutoConfiguration.class },
		afterName = "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration")
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnProperty("subscriber.group")
@ConditionalOnBean(EventHandler.class)
@EnableConfigurationProperties(SubscriberProperties.class)
public class SubscriberAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SubscriberAutoConfiguration.class);

	@Bean
	NewTopic subscribedTopic(SubscriberProperties properties) {
		checkDeclared(properties);
		return Topics.declare(properties.topic());
	}

	@Bean
	NewTopic subscriberDeadLetterTopic(SubscriberProperties properties) {
		// As many partitions as the source: a dead letter keeps its partition number.
		return Topics.declare(properties.deadLetterTopic(), EventContract.partitionsOf(properties.topic()));
	}

	/** The group's consumers commit for the partitions they own only ({@link OwnedPartitionCommits}). */
	@Bean
	DefaultKafkaConsumerFactoryCustomizer ownedPartitionCommits() {
		return OwnedPartitionCommits::install;
	}

	@Bean
	ConsumerGroupMonitor consumerGroupMonitor(KafkaAdmin kafkaAdmin, SubscriberProperties properties) {
		return new ConsumerGroupMonitor(kafkaAdmin, properties.group(), properties.topic(), properties.lagInterval(),
				properties.stallTimeout());
	}

	@Bean
	HealthIndicator subscriberHealthIndicator(ConsumerGroupMonitor monitor) {
		return monitor::health;
	}

	@Bean
	DeadLetters subscriberDeadLetters(KafkaTemplate<byte[], byte[]> template, SubscriberProperties properties,
			RecordSpans spans, MeterRegistry meters) {
		return new DeadLetters(template, properties.group(), Duration.ofSeconds(30), spans, meters);
	}

	@Bean
	SubscriberPipeline<?> subscriberPipeline(EventHandler<?> handler, SubscriberProperties properties,
			ConfigurableListableBeanFactory beans, DeadLetters deadLetters, ConsumerGroupMonitor monitor,
			MeterRegistry meters) {
		return pipeline(handler, eventType(handler, beans), properties, deadLetters, monitor, meters);
	}

	private static <T> SubscriberPipeline<T> pipeline(EventHandler<?> handler, Class<T> type,
			SubscriberProperties properties, DeadLetters deadLetters, ConsumerGroupMonitor monitor,
			MeterRegistry meters) {
		@SuppressWarnings("unchecked")
		EventHandler<T> typed = (EventHandler<T>) handler;
		EventReader<T> reader = new EventReader<>(EventSchema.load(properties.event().schema()), type,
				properties.event().type());
		return new SubscriberPipeline<>(reader, typed, deadLetters, monitor, properties.group(), meters);
	}

	/**
	 * The group's listener: Spring Boot's container factory ({@code spring.kafka.listener.*}),
	 * this starter's pipeline and error handler.
	 */
	@Bean
	ConcurrentMessageListenerContainer<Object, Object> subscriberListenerContainer(
			ConcurrentKafkaListenerContainerFactory<Object, Object> factory, SubscriberProperties properties,
			SubscriberPipeline<?> pipeline, ConsumerGroupMonitor monitor, MeterRegistry meters) {
		ConcurrentMessageListenerContainer<Object, Object> container = factory.createContainer(properties.topic());
		container.getContainerProperties().setGroupId(properties.group());
		container.getContainerProperties().setClientId(properties.group());
		container.setBeanName(properties.group());
		container.setCommonErrorHandler(errorHandler(properties, meters));
		container.setupMessageListener(pipeline);
		monitor.watch(container);
		return container;
	}

	/**
	 * Retries a failing poll with exponential back-off for as long as it takes. Never gives up
	 * and never dead-letters: the pipeline has dead-lettered what it had to before it threw, so
	 * what reaches this handler is the infrastructure failing.
	 */
	private static DefaultErrorHandler errorHandler(SubscriberProperties properties, MeterRegistry meters) {
		ExponentialBackOff backOff = new ExponentialBackOff(properties.retry().initialInterval().toMillis(), 2.0);
		backOff.setMaxInterval(properties.retry().maxInterval().toMillis());
		DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
			throw new IllegalStateException("A subscriber never gives up on a record", ex);
		}, backOff);
		Counter retries = Counter.builder("consumer.retries")
			.description("Failed attempts to apply a poll of records that are retried (the infrastructure failed)")
			.tag("group", properties.group())
			.register(meters);
		handler.setRetryListeners(new RetryListener() {

			@Override
			public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
				retries.increment();
				logger.warn("{}: {}-{}@{} failed (attempt {}), will retry: {}", properties.group(), record.topic(),
						record.partition(), record.offset(), deliveryAttempt, cause(ex));
			}

			@Override
			public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
				retries.increment();
				logger.warn("{}: a poll of {} records failed (attempt {}), will retry: {}", properties.group(),
						records.count(), deliveryAttempt, cause(ex));
			}

		});
		return handler;
	}

	/** What actually failed, not the listener container's wrapping of it. */
	private static String cause(Exception ex) {
		return NestedExceptionUtils.getMostSpecificCause(ex).toString();
	}

	@Bean
	DeadLetterReplay deadLetterReplay(ConsumerFactory<byte[], byte[]> consumers,
			ProducerFactory<byte[], byte[]> producers, SubscriberProperties properties, SubscriberPipeline<?> pipeline) {
		return new DeadLetterReplay(consumers, producers, properties, pipeline);
	}

	@Bean
	DeadLetterEndpoint deadLetterEndpoint(DeadLetterReplay replay) {
		return new DeadLetterEndpoint(replay);
	}

	/**
	 * {@code GET ${subscriber.lookup-path}}, answered by the subscriber's {@link AppliedEvents}
	 * bean, or by {@code subscriber.lookup-query} on its own tables.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnProperty("subscriber.lookup-path")
	static class AppliedEventsLookup {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnClass(JdbcClient.class)
		@ConditionalOnProperty("subscriber.lookup-query")
		AppliedEvents appliedEvents(ObjectProvider<JdbcClient> jdbc, SubscriberProperties properties) {
			return new JdbcAppliedEvents(jdbc.getObject(), properties.lookupQuery());
		}

		@Bean
		AppliedEventsController appliedEventsController(ObjectProvider<AppliedEvents> applied) {
			return new AppliedEventsController(applied.getIfAvailable(() -> {
				throw new IllegalStateException("subscriber.lookup-path needs subscriber.lookup-query (a query of the "
						+ "subscriber's tables) or an AppliedEvents bean of its own");
			}));
		}

	}

	private static void checkDeclared(SubscriberProperties properties) {
		Assert.hasText(properties.topic(), "subscriber.topic: the topic the subscriber reads");
		Assert.isTrue(properties.event() != null && properties.event().type() != null
				&& properties.event().schema() != null,
				"subscriber.event.type and subscriber.event.schema: the ce_type read and the contract's schema of it");
	}

	private static Class<?> eventType(EventHandler<?> handler, ConfigurableListableBeanFactory beans) {
		Class<?> handlerClass = AopUtils.getTargetClass(handler);
		Class<?> type = ResolvableType.forClass(handlerClass).as(EventHandler.class).resolveGeneric(0);
		Assert.state(type != null, () -> "Cannot tell the event type of " + handlerClass.getName()
				+ ": implement EventHandler<YourEvent> in a class, not in a lambda (beans: "
				+ Arrays.toString(beans.getBeanNamesForType(EventHandler.class)) + ")");
		return type;
	}

}
