package com.example.purchases.notification.confirmation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.regex.Pattern;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import com.example.purchases.notification.purchase.PurchaseCompleted;

import org.springframework.web.util.HtmlUtils;

/**
 * The confirmation of a purchase: plain text and HTML, the lines and the total in the purchase's
 * currency, and a {@code Message-ID} made of the event id, the same however often it is sent.
 */
final class ConfirmationMail {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final String UTF_8 = StandardCharsets.UTF_8.name();

	/** What RFC 5322 does not allow in the left part of a {@code Message-ID}. */
	private static final Pattern NOT_ATEXT = Pattern.compile("[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]");

	static {
		// Jakarta Mail looks its stream provider up with a ServiceLoader, a scan of every jar on
		// the class path, for each part of each message it makes, unless this property names the
		// provider: that scan was half of the CPU a confirmation cost (a profile of 3,000 confirmations
		// built and sent alone, docs/benchmarks.md).
		if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
			System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
		}
	}

	private ConfirmationMail() {
	}

	/** {@code <eventId@domain>}. */
	static String messageId(String eventId, String domain) {
		return "<" + NOT_ATEXT.matcher(eventId).replaceAll("_") + "@" + domain + ">";
	}

	static MimeMessage build(Session session, PurchaseCompleted purchase, String to, String from, String messageId)
			throws MessagingException {
		// Built by hand rather than with Spring's MimeMessageHelper, which reads the MIME types file
		// from the class path for every message it is given.
		MimeMessage message = new StableIdMessage(session, messageId);
		message.setFrom(address(from));
		message.setRecipient(Message.RecipientType.TO, address(to));
		message.setSubject("Your purchase is confirmed: " + amount(purchase.total(), purchase.currency()), UTF_8);
		MimeBodyPart text = new MimeBodyPart();
		text.setText(text(purchase), UTF_8);
		MimeBodyPart html = new MimeBodyPart();
		html.setText(html(purchase), UTF_8, "html");
		message.setContent(new MimeMultipart("alternative", text, html));
		return message;
	}

	static String text(PurchaseCompleted purchase) {
		StringBuilder text = new StringBuilder();
		text.append("Thank you for your purchase of ").append(WHEN.format(purchase.occurredAt())).append(".\n\n");
		for (PurchaseCompleted.Line line : purchase.items()) {
			text.append(line.quantity())
				.append(" x ")
				.append(line.sku())
				.append(" at ")
				.append(amount(line.unitPrice(), purchase.currency()))
				.append(" = ")
				.append(amount(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())), purchase.currency()))
				.append('\n');
		}
		text.append("\nTotal: ").append(amount(purchase.total(), purchase.currency())).append('\n');
		text.append("Purchase ").append(purchase.purchaseId()).append('\n');
		return text.toString();
	}

	static String html(PurchaseCompleted purchase) {
		StringBuilder html = new StringBuilder();
		html.append("<html><body><p>Thank you for your purchase of ")
			.append(WHEN.format(purchase.occurredAt()))
			.append(".</p><table><thead><tr><th>SKU</th><th>Quantity</th><th>Unit price</th><th>Amount</th></tr></thead><tbody>");
		for (PurchaseCompleted.Line line : purchase.items()) {
			html.append("<tr><td>")
				.append(HtmlUtils.htmlEscape(line.sku()))
				.append("</td><td>")
				.append(line.quantity())
				.append("</td><td>")
				.append(HtmlUtils.htmlEscape(amount(line.unitPrice(), purchase.currency())))
				.append("</td><td>")
				.append(HtmlUtils.htmlEscape(
						amount(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())), purchase.currency())))
				.append("</td></tr>");
		}
		html.append("</tbody></table><p><strong>Total: ")
			.append(HtmlUtils.htmlEscape(amount(purchase.total(), purchase.currency())))
			.append("</strong></p><p>Purchase ")
			.append(purchase.purchaseId())
			.append("</p></body></html>");
		return html.toString();
	}

	/** {@code 119.80 BRL}, {@code 1200 JPY}: the currency's own minor unit. */
	static String amount(BigDecimal value, String currency) {
		int digits;
		try {
			digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
		}
		catch (IllegalArgumentException ex) {
			digits = 2;
		}
		return value.setScale(digits, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
	}

	private static InternetAddress address(String address) throws AddressException {
		InternetAddress[] parsed = InternetAddress.parse(address);
		if (parsed.length != 1) {
			throw new AddressException("not one address", address);
		}
		return parsed[0];
	}

	/** Keeps its {@code Message-ID}: Jakarta Mail would make a new one on every save. */
	private static final class StableIdMessage extends MimeMessage {

		private final String messageId;

		StableIdMessage(Session session, String messageId) {
			super(session);
			this.messageId = messageId;
		}

		@Override
		protected void updateMessageID() throws MessagingException {
			setHeader("Message-ID", this.messageId);
		}

	}

}
