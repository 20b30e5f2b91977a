package com.example.purchases.messaging;

import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Registers the Kafka health indicator (as {@code kafka}), the retry of topic creation and
 * {@link RecordSpans} in every service that has a {@link KafkaAdmin}.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaAdmin.class)
@ConditionalOnBean(KafkaAdmin.class)
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "kafkaHealthIndicator")
	KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin, ObjectProvider<NewTopic> topics,
			MessagingProperties properties) {
		Set<String> declared = topics.orderedStream().map(NewTopic::name).collect(Collectors.toSet());
		return new KafkaHealthIndicator(kafkaAdmin, properties.healthTimeout(), declared);
	}

	@Bean
	@ConditionalOnMissingBean
	RecordSpans recordSpans(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new RecordSpans(tracer, propagator);
	}

	// Only with topics to ensure: KafkaAdmin reports "not done" when it has none, and the
	// initializer would retry for ever (the live page declares none).
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(NewTopic.class)
	@ConditionalOnBooleanProperty(name = "spring.kafka.admin.auto-create", matchIfMissing = true)
	DeclaredTopicsInitializer declaredTopicsInitializer(KafkaAdmin kafkaAdmin, MessagingProperties properties) {
		return new DeclaredTopicsInitializer(kafkaAdmin, properties.topicsRetryInterval());
	}

}
