package com.example.purchases.notification;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.purchases.testing.EndpointWalk;
import com.example.purchases.testing.OpenApiDocuments;
import com.example.purchases.testing.PublishedPurchases;
import com.example.purchases.testing.PublishedPurchases.Line;
import com.example.purchases.testing.PublishedPurchases.Purchase;
import com.example.purchases.testing.SubscriberTest;
import com.example.purchases.testing.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.context.ImportTestcontainers;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Confirmations as customers and customer care see them, against a real broker and a real mail
 * server (GreenMail): one email per purchase, with its lines and total, whatever is delivered
 * again; the others' purchases skipped with the reason; the contact preferences' API.
 */
@SubscriberTest
@Testcontainers(disabledWithoutDocker = true)
@ImportTestcontainers(MailServer.class)
class NotificationTests {

	private final JsonMapper json = JsonMapper.shared();

	@Autowired
	RestTestClient http;

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	KafkaTemplate<byte[], byte[]> kafka;

	@LocalManagementPort
	int managementPort;

	PublishedPurchases publisher;

	@BeforeEach
	void clients() {
		this.publisher = new PublishedPurchases(this.kafka);
		this.http = TestIssuer.get().authorize(this.http, "notifications:read", "notifications:write");
	}

	@Test
	void servesTheOpenApiDocumentCheckedIntoDocs() throws Exception {
		OpenApiDocuments.assertServedAsCheckedIn(this.port, "purchase-notification-subscriber");
	}

	@Test
	void everyEndpointNeedsItsScope() {
		EndpointWalk.of(this.context)
			.expect("GET /customers/{customerId}/contact", "notifications:read")
			.expect("PUT /customers/{customerId}/contact", "notifications:write")
			.expect("GET /customers/{customerId}/notifications", "notifications:read")
			.expect("GET /purchases/{id}", "notifications:read")
			.expectAnonymous("GET /v3/api-docs")
			.expectAnonymous("GET /v3/api-docs.yaml")
			.expectAnonymous("GET /v3/api-docs/swagger-config")
			.expectAnonymous("GET /swagger-ui.html")
			.otherScopes("purchases:write", "history:read", "stock:read", "stock:write", "events:replay")
			.walk();
	}

	@Test
	void confirmsEachPurchaseOnceWithItsLinesAndTotal() {
		String customer = customer();
		String address = customer + "@customers.example";
		contact(customer, address, true);
		Purchase purchase = Purchase.of(customer, "BRL", Line.of("SKU-1", 2, "19.90"), Line.of("SKU-5", 16, "5"));
		this.publisher.publish(purchase);

		List<MailServer.Message> inbox = awaitInbox(address, 1);
		MailServer.Message mail = inbox.get(0);
		assertThat(mail.subject()).isEqualTo("Your purchase is confirmed: 119.80 BRL");
		assertThat(mail.messageId()).isEqualTo("<" + purchase.eventId() + "@purchase-notification.shop.example>");
		assertThat(mail.source()).contains("2 x SKU-1 at 19.90 BRL = 39.80 BRL", "16 x SKU-5 at 5.00 BRL = 80.00 BRL",
				"Total: 119.80 BRL", "text/plain", "text/html", purchase.purchaseId().toString());
		// When it was handed over, as RFC 5322 writes it
		Matcher date = Pattern.compile("(?m)^Date: (.+?)\r?$").matcher(mail.source());
		assertThat(date.find()).isTrue();
		assertThat(ZonedDateTime.parse(date.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
			.isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));

		// Delivered again (a redelivered batch, a replayed dead letter), under its event id or
		// its purchase id: nothing is sent again.
		this.publisher.publish(purchase);
		this.publisher.publish(purchase.withEventId(UUID.randomUUID()));
		Purchase marker = Purchase.of(customer, "BRL", Line.of("SKU-2", 1, "3.50"));
		this.publisher.publish(marker);
		awaitInbox(address, 2);
		assertThat(MailServer.inbox(address)).extracting(MailServer.Message::messageId)
			.containsExactlyInAnyOrder(mail.messageId(), "<" + marker.eventId() + "@purchase-notification.shop.example>");

		JsonNode notifications = get("/customers/" + customer + "/notifications");
		assertThat(notifications.get("content")).hasSize(2);
		JsonNode first = notifications.get("content").get(1);
		assertThat(first.get("purchaseId").asString()).isEqualTo(purchase.purchaseId().toString());
		assertThat(first.get("status").asString()).isEqualTo("SENT");
		assertThat(first.get("recipient").asString()).isEqualTo(address);
		assertThat(first.get("total").decimalValue()).isEqualByComparingTo("119.80");
		assertThat(get("/purchases/" + purchase.purchaseId()).get("appliedAt").asString()).isNotBlank();
	}

	@Test
	void recordsPurchasesOfCustomersWithoutAnAddressOrWhoOptedOutAsSkipped() {
		String withoutAddress = customer();
		String optedOut = customer();
		contact(optedOut, optedOut + "@customers.example", false);
		Purchase first = Purchase.of(withoutAddress, "JPY", Line.of("SKU-1", 1, "1200"));
		Purchase second = Purchase.of(optedOut, "BRL", Line.of("SKU-1", 1, "1.00"));
		this.publisher.publish(first);
		this.publisher.publish(second);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(status("/customers/" + withoutAddress + "/notifications")).isEqualTo(200);
			assertThat(status("/customers/" + optedOut + "/notifications")).isEqualTo(200);
		});
		JsonNode skipped = get("/customers/" + withoutAddress + "/notifications").get("content").get(0);
		assertThat(skipped.get("status").asString()).isEqualTo("SKIPPED");
		assertThat(skipped.get("reason").asString()).isEqualTo("no email address");
		assertThat(skipped.get("total").decimalValue()).isEqualByComparingTo("1200");
		assertThat(get("/customers/" + optedOut + "/notifications").get("content").get(0).get("reason").asString())
			.isEqualTo("opted out of confirmations");
		assertThat(MailServer.inbox(optedOut + "@customers.example")).isEmpty();
	}

	@Test
	void aPurchaseDeliveredSeveralTimesInOnePollIsDealtWithAndCountedOnce() {
		String customer = customer();
		String address = customer + "@customers.example";
		contact(customer, address, true);
		String optedOut = customer();
		contact(optedOut, optedOut + "@customers.example", false);
		Purchase confirmed = Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00"));
		Purchase skipped = Purchase.of(optedOut, "BRL", Line.of("SKU-1", 1, "1.00"));
		String sent = "notifications_total{outcome=\"sent\"}";
		String skippedSeries = "notifications_total{outcome=\"skipped\"}";
		String applied = "consumer_events_applied_total{group=\"purchase-notification\"}";
		String duplicates = "consumer_events_duplicates_total{group=\"purchase-notification\"}";
		double sentBefore = counter(sent);
		double skippedBefore = counter(skippedSeries);
		double appliedBefore = counter(applied);
		double duplicatesBefore = counter(duplicates);

		// Held back while they are published, so that the consumer reads them all in one poll.
		ConcurrentMessageListenerContainer<?, ?> listener = this.context.getBean(ConcurrentMessageListenerContainer.class);
		listener.pause();
		try {
			await().atMost(Duration.ofSeconds(30)).until(listener::isContainerPaused);
			for (Purchase purchase : List.of(confirmed, skipped)) {
				this.publisher.publish(purchase);
				this.publisher.publish(purchase);
				this.publisher.publish(purchase.withEventId(UUID.randomUUID()));
			}
		}
		finally {
			listener.resume();
		}

		await().atMost(Duration.ofSeconds(30))
			.until(() -> counter(applied) - appliedBefore + counter(duplicates) - duplicatesBefore >= 6);
		assertThat(counter(applied) - appliedBefore).isEqualTo(2);
		assertThat(counter(duplicates) - duplicatesBefore).isEqualTo(4);
		assertThat(counter(sent) - sentBefore).isEqualTo(1);
		assertThat(counter(skippedSeries) - skippedBefore).isEqualTo(1);
		assertThat(MailServer.inbox(address)).hasSize(1);
		assertThat(get("/customers/" + optedOut + "/notifications").get("content")).hasSize(1);
	}

	@Test
	void keepsContactPreferencesAndRefusesInvalidOnesNamingTheField() {
		String customer = customer();
		this.http.get().uri("/customers/" + customer + "/contact").exchange().expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.put().uri("/customers/" + customer + "/contact").contentType(MediaType.APPLICATION_JSON)
			.body("{\"email\": \"not an address\", \"confirmations\": true}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.violations[0].field").isEqualTo("email");
		this.http.put().uri("/customers/" + customer + "/contact").contentType(MediaType.APPLICATION_JSON)
			.body("{\"email\": \"someone@customers.example\"}")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.violations[0].field").isEqualTo("confirmations");
		this.http.put().uri("/customers/bad customer/contact").contentType(MediaType.APPLICATION_JSON)
			.body("{\"email\": null, \"confirmations\": true}")
			.exchange()
			.expectStatus().isBadRequest();

		contact(customer, "someone@customers.example", true);
		JsonNode contact = get("/customers/" + customer + "/contact");
		assertThat(contact.get("email").asString()).isEqualTo("someone@customers.example");
		assertThat(contact.get("confirmations").asBoolean()).isTrue();
		contact(customer, null, false);
		assertThat(get("/customers/" + customer + "/contact").get("email").isNull()).isTrue();
	}

	@Test
	void startsWithTheSeededContacts() {
		assertThat(get("/customers/c-42/contact").get("email").asString()).isEqualTo("c-42@customers.example");
		assertThat(get("/customers/c-no-address/contact").get("email").isNull()).isTrue();
	}

	@Test
	void countsWhatBecameOfEachConfirmation() {
		String customer = customer();
		contact(customer, customer + "@customers.example", true);
		this.publisher.publish(Purchase.of(customer, "BRL", Line.of("SKU-1", 1, "1.00")));
		awaitInbox(customer + "@customers.example", 1);
		assertThat(metrics()).containsPattern("notifications_total\\{outcome=\"sent\"\\} [1-9]")
			.contains("notifications_total{outcome=\"skipped\"}", "notifications_total{outcome=\"failed\"}",
					"notifications_resent_total", "consumer_events_applied_total{group=\"purchase-notification\"}");
	}

	/** The value of one series of the service's metrics now, 0 before it first counted. */
	private double counter(String series) {
		return metrics().lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1).trim()))
			.findFirst()
			.orElse(0);
	}

	private String metrics() {
		return TestIssuer.get().client(this.managementPort).get().uri("/actuator/prometheus").exchange()
			.expectBody(String.class).returnResult().getResponseBody();
	}

	private List<MailServer.Message> awaitInbox(String address, int count) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> MailServer.inbox(address), (inbox) -> inbox.size() >= count);
	}

	private void contact(String customer, String email, boolean confirmations) {
		String body = (email != null) ? "{\"email\": \"%s\", \"confirmations\": %s}".formatted(email, confirmations)
				: "{\"email\": null, \"confirmations\": %s}".formatted(confirmations);
		this.http.put().uri("/customers/" + customer + "/contact").contentType(MediaType.APPLICATION_JSON).body(body)
			.exchange()
			.expectStatus().isOk();
	}

	private JsonNode get(String path) {
		return this.json.readTree(this.http.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private int status(String path) {
		return this.http.get().uri(path).exchange().returnResult(String.class).getStatus().value();
	}

	private static String customer() {
		return "n-" + UUID.randomUUID().toString().substring(0, 12);
	}

}
