package com.example.purchases.publisher.purchase;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.example.purchases.testing.TestIssuer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * What a client sees for good and bad requests. The publishing itself is mocked here; it is
 * tested against a real broker in {@link PurchasePublishingTests}.
 */
@WebMvcTest(controllers = PurchaseController.class,
		includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*\\.publisher\\.web\\..*"))
class PurchaseControllerTests {

	private static final String VALID = """
			{"customerId": "c-42", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 2, "unitPrice": 19.90}]}""";

	/** The checkout service's token; the rules are the publisher's own (service-support). */
	private static final String CHECKOUT = "Bearer " + TestIssuer.get().token("purchases:write");

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	PurchaseService purchases;

	@Test
	void acceptsAValidPurchaseWithTheIdsAndTotalOfItsEvent() {
		PurchaseAccepted accepted = new PurchaseAccepted(UUID.randomUUID(), UUID.randomUUID(),
				Instant.parse("2026-11-26T21:58:36.123Z"), new BigDecimal("39.80"));
		given(this.purchases.place(any(), eq("key-1"))).willReturn(accepted);

		MvcTestResult result = this.mvc.post().uri("/purchases").header(HttpHeaders.AUTHORIZATION, CHECKOUT).contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "key-1").content(VALID).exchange();

		assertThat(result).hasStatus(HttpStatus.ACCEPTED);
		assertThat(result).bodyJson().isStrictlyEqualTo("""
				{"purchaseId": "%s", "eventId": "%s", "occurredAt": "2026-11-26T21:58:36.123Z", "total": 39.80}"""
			.formatted(accepted.purchaseId(), accepted.eventId()));
	}

	@Test
	void listsEveryViolationWithItsField() {
		MvcTestResult result = post("""
				{"customerId": "c 42", "currency": "brl", "items": [
				  {"sku": "", "quantity": 0, "unitPrice": 0},
				  {"sku": "SKU-2", "quantity": 10001, "unitPrice": 1000000.01},
				  null]}""");

		assertInvalid(result, "customerId", "currency", "items[0].quantity", "items[0].sku", "items[0].unitPrice",
				"items[1].quantity", "items[1].unitPrice", "items[2]");
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("The request has 8 invalid fields.");
	}

	@Test
	void listsValuesOfTheWrongTypeTogetherWithTheOtherViolations() {
		MvcTestResult result = post("""
				{"customerId": 42, "currency": "brl", "coupon": "X", "items": [
				  {"sku": "SKU-1", "quantity": 2.5, "unitPrice": "19.90"},
				  {"sku": "", "quantity": 99999999999, "unitPrice": 19.999},
				  7]}""");

		assertInvalid(result, "customerId", "currency", "coupon", "items[0].quantity", "items[0].unitPrice",
				"items[1].sku", "items[1].quantity", "items[2]");
		assertThat(result).bodyJson().extractingPath("$.violations[?(@.field == 'customerId')].message").asArray()
			.containsExactly("must be a string");
		assertThat(result).bodyJson().extractingPath("$.violations[?(@.field == 'items[1].quantity')].message")
			.asArray().containsExactly("is out of range");
	}

	@Test
	void namesTheMissingFields() {
		assertInvalid(post("{\"items\": [{}]}"), "currency", "customerId", "items[0].quantity", "items[0].sku",
				"items[0].unitPrice");
	}

	@Test
	void refusesAPurchaseWithoutItems() {
		assertInvalid(post("""
				{"customerId": "c-42", "currency": "BRL", "items": []}"""), "items");
	}

	@Test
	void refusesMoreThanOneHundredItems() {
		String line = "{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 1}";
		String items = String.join(",", java.util.Collections.nCopies(101, line));
		assertInvalid(post("{\"customerId\": \"c-42\", \"currency\": \"BRL\", \"items\": [" + items + "]}"), "items");
	}

	@ParameterizedTest
	@CsvSource({ "BRL, 19.999", "BRL, 0.001", "JPY, 1500.5", "KWD, 1.0001" })
	void refusesPricesFinerThanTheCurrencyMinorUnit(String currency, String price) {
		MvcTestResult result = post("""
				{"customerId": "c-42", "currency": "%s", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": %s}]}"""
			.formatted(currency, price));
		assertInvalid(result, "items[0].unitPrice");
		assertThat(result).bodyJson().extractingPath("$.violations[0].message").asString().contains(currency);
	}

	@ParameterizedTest
	@CsvSource({ "BRL, 19.9", "BRL, 19.90", "BRL, 19.900000", "JPY, 1500", "KWD, 1.125", "BRL, 1000000" })
	void acceptsPricesWithinTheCurrencyMinorUnit(String currency, String price) {
		given(this.purchases.place(any(), any()))
			.willReturn(new PurchaseAccepted(UUID.randomUUID(), UUID.randomUUID(), Instant.now(), BigDecimal.ONE));
		assertThat(post("""
				{"customerId": "c-42", "currency": "%s", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": %s}]}"""
			.formatted(currency, price))).hasStatus(HttpStatus.ACCEPTED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "brl", "BR", "XXX", "XAU", "ABC", "BRLL" })
	void refusesWhatIsNotAnIsoCurrencyWithMinorUnits(String currency) {
		assertInvalid(post("""
				{"customerId": "c-42", "currency": "%s", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": 1}]}"""
			.formatted(currency)), "currency");
	}

	@Test
	void refusesUnknownFieldsByName() {
		assertInvalid(post("""
				{"customerId": "c-42", "currency": "BRL", "items": [{"sku": "SKU-1", "quantity": 1, "unitPrice": 1, "discount": 5}]}"""),
				"items[0].discount");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "\"quantity\": 2.5 | items[0].quantity | must be an integer",
			"\"quantity\": \"2\" | items[0].quantity | must be an integer",
			"\"quantity\": 99999999999 | items[0].quantity | is out of range",
			"\"unitPrice\": \"19.90\" | items[0].unitPrice | must be a number",
			"\"unitPrice\": true | items[0].unitPrice | must be a number",
			"\"sku\": 42 | items[0].sku | must be a string", "\"sku\": {} | items[0].sku | must be a string" })
	void namesTheFieldOfAValueOfTheWrongType(String field, String path, String message) {
		String line = "{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 1, " + field + "}";
		line = line.replaceFirst("\"" + path.substring(path.lastIndexOf('.') + 1) + "\": [^,]+, ", "");
		MvcTestResult result = post("{\"customerId\": \"c-42\", \"currency\": \"BRL\", \"items\": [" + line + "]}");
		assertInvalid(result, path);
		assertThat(result).bodyJson().extractingPath("$.violations[0].message").isEqualTo(message);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"customerId\": ", "not json", "{\"customerId\": \"c-1\"} {}", "[]", "\"purchase\"",
			"{\"customerId\": \"c-1\", \"customerId\": \"c-2\", \"currency\": \"BRL\", \"items\": []}" })
	void refusesMalformedJson(String body) {
		MvcTestResult result = post(body);
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Malformed JSON");
		assertNoInternals(result);
		verifyNoInteractions(this.purchases);
	}

	@Test
	void refusesAMissingBody() {
		MvcTestResult result = this.mvc.post().uri("/purchases").header(HttpHeaders.AUTHORIZATION, CHECKOUT).contentType(MediaType.APPLICATION_JSON).exchange();
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertNoInternals(result);
	}

	@Test
	void refusesOtherContentTypesWith415() {
		MvcTestResult result = this.mvc.post().uri("/purchases").header(HttpHeaders.AUTHORIZATION, CHECKOUT).contentType(MediaType.TEXT_PLAIN).content(VALID)
			.exchange();
		assertThat(result).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertNoInternals(result);
		verifyNoInteractions(this.purchases);
	}

	@Test
	void refusesBodiesOver64KibWith413() {
		String padding = " ".repeat(64 * 1024);
		MvcTestResult result = post(VALID + padding);
		assertThat(result).hasStatus(HttpStatus.CONTENT_TOO_LARGE).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("The request body is larger than 64 KiB.");
		verifyNoInteractions(this.purchases);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "é-accented", "tab\tinside" })
	void refusesAnIdempotencyKeyThatIsNotOneTo128PrintableAsciiCharacters(String key) {
		MvcTestResult result = this.mvc.post().uri("/purchases").header(HttpHeaders.AUTHORIZATION, CHECKOUT).contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", key).content(VALID).exchange();
		assertInvalid(result, "Idempotency-Key");
	}

	@Test
	void refusesAnIdempotencyKeyOver128Characters() {
		MvcTestResult result = this.mvc.post().uri("/purchases").header(HttpHeaders.AUTHORIZATION, CHECKOUT).contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "k".repeat(129)).content(VALID).exchange();
		assertInvalid(result, "Idempotency-Key");
	}

	@Test
	void reportsAnInvalidKeyTogetherWithAnInvalidBody() {
		MvcTestResult result = this.mvc.post().uri("/purchases").header(HttpHeaders.AUTHORIZATION, CHECKOUT).contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "k".repeat(129)).content(VALID.replace("BRL", "brl")).exchange();
		assertInvalid(result, "Idempotency-Key", "currency");
	}

	@Test
	void answers503WithRetryAfterWhenTheBrokerDoesNotAcknowledge() {
		given(this.purchases.place(any(), any()))
			.willThrow(new PublishFailedException(Duration.ofSeconds(5), new TimeoutException("Expiring 1 record(s)")));

		MvcTestResult result = post(VALID);

		assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader("Retry-After", "5");
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Event broker unavailable");
		assertNoInternals(result);
	}

	@Test
	void refusesPathsWithoutARuleWithAProblem() {
		// Deny by default: what no rule of api-security allows is refused before it is looked up.
		MvcTestResult result = this.mvc.get().uri("/nothing-here").header(HttpHeaders.AUTHORIZATION, CHECKOUT).exchange();
		assertThat(result).hasStatus(HttpStatus.FORBIDDEN).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertNoInternals(result);
	}

	@Test
	void answersOtherMethodsWith405() {
		MvcTestResult result = this.mvc.get().uri("/purchases").header(HttpHeaders.AUTHORIZATION, CHECKOUT).exchange();
		assertThat(result).hasStatus(HttpStatus.METHOD_NOT_ALLOWED).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void hidesUnexpectedErrorsBehindA500Problem() throws Exception {
		given(this.purchases.place(any(), any())).willThrow(new IllegalStateException("secret internals"));
		MvcTestResult result = post(VALID);
		assertThat(result).hasStatus(HttpStatus.INTERNAL_SERVER_ERROR)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result.getResponse().getContentAsString()).doesNotContain("secret");
		assertNoInternals(result);
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri("/purchases").header(HttpHeaders.AUTHORIZATION, CHECKOUT).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private void assertInvalid(MvcTestResult result, String... fields) {
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Invalid request");
		assertThat(result).bodyJson().extractingPath("$.violations[*].field").asArray().containsExactlyInAnyOrder(
				(Object[]) fields);
		assertNoInternals(result);
		verifyNoInteractions(this.purchases);
	}

	private static void assertNoInternals(MvcTestResult result) {
		assertThat(result).bodyText()
			.doesNotContainIgnoringCase("exception")
			.doesNotContain("java.", "springframework", "tools.jackson", "\tat ", "com.example");
	}

}
