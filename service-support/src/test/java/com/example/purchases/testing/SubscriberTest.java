package com.example.purchases.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A subscriber as it runs, against a real (embedded KRaft) broker, with its module's test
 * configuration ({@code src/test/resources/config/application.yml}, which imports
 * {@code subscriber-test.yml}). Every class of a module annotated with it shares one Spring
 * context and one broker; take the broker's address from the context's
 * {@code EmbeddedKafkaBroker}, not from the system property that the last started broker set.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
// One broker: the dead-letter replay's transactions need their log at one replica.
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
public @interface SubscriberTest {

}
