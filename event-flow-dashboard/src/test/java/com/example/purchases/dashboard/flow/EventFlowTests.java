package com.example.purchases.dashboard.flow;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

/**
 * The flow as Kafka has it, read back through {@code /api/flow}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dashboard.refresh-interval=200ms", "dashboard.idle-after=1s" })
@EmbeddedKafka(partitions = 6, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		topics = { "purchases.completed", "purchases.completed.purchase-history.dlt", "stock.replenishment-requested" })
@AutoConfigureRestTestClient
class EventFlowTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Value("${spring.kafka.bootstrap-servers}")
	String brokers;

	/** A browser without a session. */
	@Autowired
	RestTestClient browser;

	@Autowired
	WebApplicationContext context;

	@LocalManagementPort
	int managementPort;

	@Autowired
	FlowSampler sampler;

	/** The requests of the operator's browser, once signed in (an OIDC session). */
	MockMvcTester operator;

	@BeforeEach
	void operator() {
		this.operator = MockMvcTester.from(this.context, (builder) -> builder.apply(springSecurity()).build());
	}

	@Test
	void showsThePublishedCountTheGroupsTheirLagTheDeadLettersAndTheLatestReplenishments() throws Exception {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
			for (int i = 0; i < 10; i++) {
				producer.send(new ProducerRecord<>("purchases.completed", 0, "c-" + i, "{}")).get();
			}
			producer.send(new ProducerRecord<>("purchases.completed.purchase-history.dlt", 0, "c-1", "not json")).get();
			producer.send(new ProducerRecord<>("purchases.completed.purchase-history.dlt", 1, "c-2", "not json")).get();
			producer.send(new ProducerRecord<>("stock.replenishment-requested", "SKU-9", """
					{"replenishmentId": "3f2e1d0c-9b8a-4765-a4b3-c2d1e0f9a8b7", "sku": "SKU-9", "quantity": 100,
					 "onHand": -3, "requestedAt": "2026-11-26T22:01:02.345Z"}""")).get();
		}
		// A group that has read 4 of the 10 records and has no member now.
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers))) {
			admin.alterConsumerGroupOffsets("behind",
					Map.of(new TopicPartition("purchases.completed", 0), new OffsetAndMetadata(4)))
				.all()
				.get();
		}
		// A group with a live member, which holds all six partitions.
		try (KafkaConsumer<String, String> member = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.brokers, ConsumerConfig.GROUP_ID_CONFIG, "live", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				StringDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
			member.subscribe(List.of("purchases.completed"));
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				member.poll(Duration.ofMillis(100));
				return member.assignment().size() == 6;
			});

			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				JsonNode flow = flow();
				assertThat(flow.get("problem").isNull()).isTrue();
				assertThat(flow.get("published").get("total").asLong()).isEqualTo(10);
				JsonNode live = group(flow, "live");
				assertThat(live.get("members")).hasSize(1);
				assertThat(live.get("members").get(0).get("partitions")).hasSize(6);
				assertThat(live.get("partitions").valueStream().map((p) -> p.get("memberId").asString()).distinct())
					.containsExactly(live.get("members").get(0).get("memberId").asString());
				JsonNode behind = group(flow, "behind");
				assertThat(behind.get("members")).isEmpty();
				assertThat(behind.get("lag").asLong()).isEqualTo(6);
				assertThat(behind.get("partitions").get(0).get("committed").asLong()).isEqualTo(4);
				assertThat(behind.get("partitions").get(0).get("memberId").isNull()).isTrue();
				assertThat(flow.get("deadLetters").toString())
					.isEqualTo("[{\"topic\":\"purchases.completed.purchase-history.dlt\",\"records\":2}]");
				assertThat(flow.get("replenishments").valueStream()
					.filter((order) -> order.get("sku").asString().equals("SKU-9")))
					.singleElement()
					.satisfies((order) -> assertThat(order.get("onHand").asLong()).isEqualTo(-3));
			});
		}
	}

	@Test
	void samplesKafkaOnlyWhileAPageAsks() throws Exception {
		// Nobody asks: a second after the last request (idle-after), the last sample only ages.
		await().atMost(Duration.ofSeconds(15)).until(() -> sampleAge().compareTo(Duration.ofSeconds(3)) > 0);

		Instant asked = Instant.now();
		Instant answered = Instant.parse(flow().get("sampledAt").asString());
		assertThat(answered).as("the first answer after a pause is a sample taken for it").isAfterOrEqualTo(asked);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.sampler.lastSample().sampledAt()).isAfter(answered));
	}

	@Test
	void showsTheLatestReplenishmentsAfterAPauseNotTheBacklogOfThePause() throws Exception {
		flow();
		await().atMost(Duration.ofSeconds(15)).until(() -> sampleAge().compareTo(Duration.ofSeconds(3)) > 0);
		// More orders while nobody watches than one poll brings (500); older than the other
		// test's, which they must not push off the list.
		List<String> sent = new ArrayList<>();
		Instant at = Instant.parse("2026-11-01T00:00:00Z");
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
			for (int i = 0; i < 1200; i++) {
				String id = UUID.randomUUID().toString();
				sent.add(id);
				producer.send(new ProducerRecord<>("stock.replenishment-requested", 3, "SKU-7", """
						{"replenishmentId": "%s", "sku": "SKU-7", "quantity": 100, "onHand": 5, "requestedAt": "%s"}"""
					.formatted(id, at.plusSeconds(i))));
			}
			producer.flush();
		}
		List<String> older = sent.subList(0, sent.size() - 10);
		String newest = sent.get(sent.size() - 1);

		await().atMost(Duration.ofSeconds(20)).until(() -> {
			List<String> shown = flow().get("replenishments")
				.valueStream()
				.map((order) -> order.get("replenishmentId").asString())
				.toList();
			assertThat(shown).as("orders listed after the pause").doesNotContainAnyElementsOf(older);
			return shown.contains(newest);
		});
	}

	private Duration sampleAge() {
		return Duration.between(this.sampler.lastSample().sampledAt(), Instant.now());
	}

	@Test
	void servesThePageToTheSignedInOperator() {
		assertThat(signedIn("/")).hasStatusOk().hasForwardedUrl("index.html");
		MvcTestResult page = signedIn("/index.html");
		assertThat(page).hasStatusOk();
		assertThat(page).bodyText().contains("Purchase event flow", "app.js");
		assertThat(signedIn("/app.js")).hasStatusOk();
	}

	@Test
	void sendsABrowserWithoutASessionToSignInAtTheAuthorizationServer() {
		String start = this.browser.get().uri("/").accept(MediaType.TEXT_HTML).exchange().expectStatus().isFound()
			.returnResult(String.class).getResponseHeaders().getLocation().toString();
		assertThat(start).endsWith("/oauth2/authorization/event-flow-dashboard");
		String authorize = this.browser.get().uri(start).accept(MediaType.TEXT_HTML).exchange().expectStatus().isFound()
			.returnResult(String.class).getResponseHeaders().getLocation().toString();
		assertThat(authorize).startsWith("http://localhost:9000/oauth2/authorize?")
			.contains("response_type=code", "client_id=event-flow-dashboard", "scope=openid", "state=",
					"code_challenge=", "code_challenge_method=S256", "nonce=");
	}

	@Test
	void answersThePagesRequestsWithoutASessionWith401() {
		this.browser.get().uri("/api/flow").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void servesHealthOnTheManagementPortOnly() {
		RestTestClient operations = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.managementPort)
			.build();
		operations.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		operations.get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
		assertThat(signedIn("/actuator/health")).hasStatus(HttpStatus.NOT_FOUND);
	}

	private JsonNode flow() throws Exception {
		MvcTestResult flow = signedIn("/api/flow");
		assertThat(flow).hasStatusOk();
		return this.json.readTree(flow.getResponse().getContentAsString(StandardCharsets.UTF_8));
	}

	private MvcTestResult signedIn(String path) {
		return this.operator.get().uri(path).with(oidcLogin().idToken((token) -> token.subject("operator"))).exchange();
	}

	private static JsonNode group(JsonNode flow, String name) {
		return flow.get("groups")
			.valueStream()
			.filter((group) -> group.get("group").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no group " + name + " in " + flow.get("groups")));
	}

}
