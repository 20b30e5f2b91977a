package com.example.purchases.notification.confirmation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import com.example.purchases.notification.purchase.PurchaseCompleted;

import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.web.util.HtmlUtils;

/**
 * The confirmation of a purchase: plain text and HTML, the lines and the total in the purchase's
 * currency, and a {@code Message-ID} made of the event id, the same however often it is sent.
 */
final class ConfirmationMail {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private ConfirmationMail() {
	}

	/** {@code <eventId@domain>}. */
	static String messageId(String eventId, String domain) {
		return "<" + eventId.replaceAll("[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]", "_") + "@" + domain + ">";
	}

	static MimeMessage build(Session session, PurchaseCompleted purchase, String to, String from, String messageId)
			throws MessagingException {
		MimeMessage message = new StableIdMessage(session, messageId);
		MimeMessageHelper mail = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
		mail.setFrom(from);
		mail.setTo(to);
		mail.setSubject("Your purchase is confirmed: " + amount(purchase.total(), purchase.currency()));
		mail.setText(text(purchase), html(purchase));
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
