package com.example.purchases.notification;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;
import com.example.purchases.testing.Replicas;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the mail server's failures do, each by its nature: a recipient refused for good is
 * recorded as failed and the stream goes on; "later" and no server at all are waited out, and
 * nothing is lost or sent twice; a message the server took while the process died is sent once
 * more after the restart, under the same {@code Message-ID}, and counted; one that another
 * consumer is sending is left to it.
 */
@EmbeddedKafka(brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
class MailFailureTests {

	private ScriptedSmtpServer smtp;

	private ConfigurableApplicationContext service;

	@BeforeEach
	void smtp() throws IOException {
		this.smtp = new ScriptedSmtpServer();
	}

	@AfterEach
	void stop() throws IOException {
		if (this.service != null) {
			this.service.close();
		}
		this.smtp.close();
	}

	@Test
	void aRecipientRefusedForGoodIsRecordedAsFailedAndTheStreamGoesOn(EmbeddedKafkaBroker broker) {
		this.service = start(broker, "refused-" + UUID.randomUUID(), 10_000);
		String refused = customer("refused");
		String next = customer("next");
		this.smtp.refuse(refused + "@customers.example", "550 5.1.1 <" + refused + "@customers.example>: Recipient address rejected: User unknown");
		publish(broker, Purchase.of(refused, "BRL", Line.of("SKU-1", 1, "1.00")));
		publish(broker, Purchase.of(next, "BRL", Line.of("SKU-1", 1, "2.00")));

		JdbcTemplate jdbc = this.service.getBean(JdbcTemplate.class);
		// The two customers' purchases may be on different partitions, taken in either order.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> status(jdbc, next).equals("SENT") && status(jdbc, refused).equals("FAILED"));
		assertThat(jdbc.queryForObject("SELECT reason FROM notification WHERE customer_id = ?", String.class, refused))
			.startsWith("550 5.1.1").contains("User unknown");
		assertThat(this.smtp.received()).hasSize(1);
		assertThat(metrics()).containsPattern("notifications_total\\{outcome=\"failed\"\\} 1")
			.doesNotContain("consumer_dead_lettered_total{group=\"purchase-notification\"} 1");
	}

	@Test
	void laterAndNoServerAtAllAreWaitedOutAndNothingIsSentTwice(EmbeddedKafkaBroker broker) throws IOException {
		this.service = start(broker, "later-" + UUID.randomUUID(), 10_000);
		String later = customer("later");
		this.smtp.later(later + "@customers.example", 3);
		publish(broker, Purchase.of(later, "BRL", Line.of("SKU-1", 1, "1.00")));
		JdbcTemplate jdbc = this.service.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> status(jdbc, later).equals("SENT"));
		assertThat(this.smtp.received()).hasSize(1);

		this.smtp.stop();
		String unreachable = customer("unreachable");
		publish(broker, Purchase.of(unreachable, "BRL", Line.of("SKU-1", 1, "1.00")));
		await().atMost(Duration.ofSeconds(20)).until(() -> metrics().matches("(?s).*consumer_retries_total\\{group=\"purchase-notification\"\\} [1-9].*"));
		assertThat(status(jdbc, unreachable)).isEqualTo("PENDING");
		this.smtp.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> status(jdbc, unreachable).equals("SENT"));
		assertThat(this.smtp.received()).hasSize(2);
		assertThat(metrics()).containsPattern("notifications_total\\{outcome=\"sent\"\\} 2").contains("notifications_resent_total 0.0");
	}

	@Test
	void aConfirmationTheServerTookWhileTheProcessDiedIsSentOnceMoreUnderTheSameMessageId(EmbeddedKafkaBroker broker) {
		String database = "crash-" + UUID.randomUUID();
		this.service = start(broker, database, 2_000);
		String customer = customer("crash");
		CountDownLatch release = new CountDownLatch(1);
		this.smtp.holdAcceptance(release);
		Purchase purchase = Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00"));
		publish(broker, purchase);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.smtp.received().size() == 1);
		JdbcTemplate beforeCrash = this.service.getBean(JdbcTemplate.class);
		assertThat(status(beforeCrash, customer)).isEqualTo("SENDING");

		// The process dies with the message at the server and its acceptance not recorded.
		this.service.close();
		this.smtp.holdAcceptance(null);
		release.countDown();
		this.service = start(broker, database, 10_000);

		JdbcTemplate afterRestart = this.service.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(60)).until(() -> status(afterRestart, customer).equals("SENT"));
		List<String> received = this.smtp.received();
		assertThat(received).hasSize(2);
		String messageId = "Message-ID: <" + purchase.eventId() + "@purchase-notification.shop.example>";
		assertThat(received).allSatisfy((message) -> assertThat(message).contains(messageId));
		assertThat(afterRestart.queryForObject("SELECT sends FROM notification WHERE customer_id = ?", Integer.class,
				customer)).isEqualTo(2);
		assertThat(metrics()).contains("notifications_resent_total 1.0");
	}

	@Test
	void aConfirmationAnotherConsumerIsSendingIsLeftToItAndNeverSentTwice(EmbeddedKafkaBroker broker) {
		this.service = start(broker, "zombie-" + UUID.randomUUID(), 10_000, Duration.ofSeconds(30));
		String customer = customer("zombie");
		Purchase purchase = Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00"));
		// Another consumer of the group (one that lost the partition without knowing it yet) is
		// handing this very confirmation to the mail server right now.
		JdbcTemplate jdbc = this.service.getBean(JdbcTemplate.class);
		jdbc.update("""
				INSERT INTO notification (purchase_id, event_id, customer_id, status, recipient, message_id, currency, total,
				  occurred_at, sends, claimed_at)
				VALUES (?, ?, ?, 'SENDING', ?, ?, 'BRL', 1.00, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP)""",
				purchase.purchaseId(), purchase.eventId().toString(), customer, customer + "@customers.example",
				"<" + purchase.eventId() + "@purchase-notification.shop.example>");
		publish(broker, purchase);

		await("the record read and the send left to the other consumer").atMost(Duration.ofSeconds(30))
			.until(() -> metrics().matches("(?s).*consumer_retries_total\\{group=\"purchase-notification\"\\} [1-9].*"));
		assertThat(this.smtp.received()).isEmpty();
		// The other consumer's send succeeds: this one finds it done and sends nothing.
		jdbc.update("UPDATE notification SET status = 'SENT', applied_at = CURRENT_TIMESTAMP WHERE purchase_id = ?",
				purchase.purchaseId());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> metrics().matches("(?s).*consumer_events_duplicates_total\\{group=\"purchase-notification\"\\} 1.0.*"));
		assertThat(this.smtp.received()).isEmpty();
		assertThat(jdbc.queryForObject("SELECT sends FROM notification WHERE customer_id = ?", Integer.class, customer))
			.isEqualTo(1);
	}

	private ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, String database, int smtpTimeoutMillis) {
		return start(broker, database, smtpTimeoutMillis, Duration.ofSeconds(3));
	}

	private ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, String database, int smtpTimeoutMillis,
			Duration sendLease) {
		return new SpringApplicationBuilder(PurchaseNotificationApplication.class).run(Replicas.commandLine(
				broker.getBrokersAsString(),
				"--spring.datasource.url=jdbc:h2:mem:" + database
						+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
				"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + this.smtp.port(),
				"--spring.mail.properties.mail.smtp.timeout=" + smtpTimeoutMillis,
				"--subscriber.retry.initial-interval=200ms", "--subscriber.retry.max-interval=1s",
				"--spring.kafka.listener.immediate-stop=true", "--notification.send-lease=" + sendLease.toMillis() + "ms"));
	}

	private String metrics() {
		return org.springframework.test.web.servlet.client.RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.service.getEnvironment().getProperty("local.management.port"))
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static String status(JdbcTemplate jdbc, String customer) {
		List<String> status = jdbc.queryForList("SELECT status FROM notification WHERE customer_id = ?", String.class,
				customer);
		return status.isEmpty() ? "" : status.get(0);
	}

	private static void publish(EmbeddedKafkaBroker broker, Purchase purchase) {
		KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(), ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				ByteArraySerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
		try {
			new PublishedPurchases(template).publish(purchase);
		}
		finally {
			template.destroy();
		}
	}

	/** A customer of this test, with an address at customers.example, who wants confirmations. */
	private String customer(String kind) {
		String customer = "mf-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8);
		this.service.getBean(JdbcTemplate.class)
			.update("INSERT INTO contact (customer_id, email, confirmations, updated_at) VALUES (?, ?, TRUE, CURRENT_TIMESTAMP)",
					customer, customer + "@customers.example");
		return customer;
	}

}
