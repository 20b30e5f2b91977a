package com.example.purchases.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.example.purchases.e2e.ComposeStackExtension.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The secured cluster ({@code docker-compose.cluster.yml}) as a client on this machine meets it,
 * on its host listener: nobody gets in without a SCRAM login over TLS, and each service's
 * principal can do what its service does and nothing else. The principals' passwords are the
 * development defaults ({@code <name>-secret}).
 */
@Stack({ "docker-compose.yml", "docker-compose.cluster.yml" })
@Order(3)
class KafkaSecurityTests {

	private static final String PURCHASES = "purchases.completed";

	private static SystemUnderTest system;

	@BeforeAll
	static void start(SystemUnderTest started) {
		system = started;
	}

	@Test
	void aClientWithoutCredentialsCannotConnect() {
		Map<String, Object> plaintext = Map.of("bootstrap.servers", system.stack.kafkaBootstrap());
		assertThat(clusterId(plaintext)).as("a plaintext client").isNull();

		Map<String, Object> tlsOnly = new HashMap<>(plaintext);
		tlsOnly.put("security.protocol", "SSL");
		tlsOnly.put("ssl.truststore.type", "PEM");
		tlsOnly.put("ssl.truststore.certificates", system.stack.kafkaCertificateAuthority());
		assertThat(clusterId(tlsOnly)).as("a TLS client without a SASL login").isNull();

		assertThat(clusterId(client("event-flow-dashboard"))).as("the same client logged in").isNotBlank();
	}

	@Test
	void wrongCredentialsAreRefused() {
		try (Admin admin = Admin.create(system.stack.kafkaClient("purchase-publisher", "not-its-password"))) {
			assertRefused(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS),
					SaslAuthenticationException.class);
		}
		try (Admin admin = Admin.create(system.stack.kafkaClient("nobody", "nobody-secret"))) {
			assertRefused(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS),
					SaslAuthenticationException.class);
		}
	}

	@Test
	void thePublishersPrincipalWritesPurchasesAndNothingElse() throws Exception {
		try (Admin admin = Admin.create(client("purchase-publisher"))) {
			assertThat(admin.describeTopics(List.of(PURCHASES)).allTopicNames().get(30, TimeUnit.SECONDS))
				.as("it may see the topic it writes").containsKey(PURCHASES);
		}
		assertCannotRead("purchase-publisher", PURCHASES);
		assertCannotWrite("purchase-publisher", "stock.replenishment-requested");
		assertCannotWrite("purchase-publisher", "purchases.completed.purchase-history.dlt");
	}

	@Test
	void aSubscribersPrincipalCannotWritePurchasesNorJoinAnotherServicesGroup() throws Exception {
		try (Admin admin = Admin.create(client("purchase-history-subscriber"))) {
			assertThat(admin.describeConsumerGroups(List.of("purchase-history"))
				.describedGroups()
				.get("purchase-history")
				.get(30, TimeUnit.SECONDS)
				.members()).as("it may see its own group's members, the service's consumer").isNotEmpty();
		}
		assertCannotWrite("purchase-history-subscriber", PURCHASES);
		assertCannotWrite("purchase-history-subscriber", "purchases.completed.stock-replenishment.dlt");
		Map<String, Object> config = consumer("purchase-history-subscriber");
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "stock-replenishment");
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			consumer.subscribe(List.of(PURCHASES));
			assertRefused(() -> consumer.poll(Duration.ofSeconds(10)), GroupAuthorizationException.class);
		}
	}

	@Test
	void theDashboardsPrincipalWatchesButCannotReadPurchases() throws Exception {
		try (Admin admin = Admin.create(client("event-flow-dashboard"))) {
			assertThat(admin.describeConsumerGroups(List.of("purchase-history", "stock-replenishment"))
				.all()
				.get(30, TimeUnit.SECONDS)).as("it may describe every group").hasSize(2);
		}
		assertCannotRead("event-flow-dashboard", PURCHASES);
		assertCannotWrite("event-flow-dashboard", "stock.replenishment-requested");
	}

	private static void assertCannotRead(String principal, String topic) {
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumer(principal))) {
			consumer.assign(List.of(new TopicPartition(topic, 0)));
			consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
			assertRefused(() -> consumer.poll(Duration.ofSeconds(10)), TopicAuthorizationException.class);
		}
	}

	private static void assertCannotWrite(String principal, String topic) {
		Map<String, Object> config = client(principal);
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
			ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, "forged".getBytes(StandardCharsets.UTF_8),
					"{}".getBytes(StandardCharsets.UTF_8));
			// Refused for the topic, or before it for producing at all (no idempotent write).
			assertRefused(() -> producer.send(record).get(30, TimeUnit.SECONDS), AuthorizationException.class);
		}
	}

	/** Fails unless the call throws {@code refusal}, itself or as a cause. */
	private static void assertRefused(ThrowingCallable call, Class<? extends Throwable> refusal) {
		assertThatThrownBy(call).satisfies((thrown) -> {
			Throwable cause = thrown;
			while (cause != null && !refusal.isInstance(cause)) {
				cause = cause.getCause();
			}
			assertThat(cause).as("%s in %s", refusal.getSimpleName(), thrown).isNotNull();
		});
	}

	/** The cluster's id as the client gets it within 15 s, or null if it gets none. */
	private static String clusterId(Map<String, Object> config) {
		try (Admin admin = Admin.create(config)) {
			return admin.describeCluster(new DescribeClusterOptions().timeoutMs(15_000))
				.clusterId()
				.get(20, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			return null;
		}
	}

	private static Map<String, Object> client(String principal) {
		return system.stack.kafkaClient(principal, principal + "-secret");
	}

	private static Map<String, Object> consumer(String principal) {
		Map<String, Object> config = client(principal);
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		return config;
	}

}
