package com.example.purchases.notification.confirmation;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.notification.NotificationProperties;
import com.example.purchases.notification.contact.Contact;
import com.example.purchases.notification.contact.Contacts;
import com.example.purchases.notification.purchase.PurchaseCompleted;
import com.example.purchases.subscriber.EventHandler;
import com.example.purchases.subscriber.IncomingEvent;

import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * What happens when purchases arrive (group {@code purchase-notification}): each customer with an
 * address who wants confirmations gets one email per purchase; the others' purchases are recorded
 * as skipped, with the reason.
 * <p>
 * One email per purchase: the purchase is claimed in the database first, and a duplicate event, a
 * redelivered batch or a replayed dead letter finds it done. One window remains, between the mail
 * server's acceptance and the record of it: a process that dies there sends the confirmation once
 * more after the restart, under the same {@code Message-ID}, so that mail systems drop the copy
 * ({@code notifications_resent_total} counts these; {@code notifications_total{outcome=sent}} the
 * others). Failures by their nature: the server unreachable, a 4xx reply or a timeout is retried
 * (the starter's back-off, the group waits, nothing is lost); a 5xx reply is the server's final
 * word on this confirmation, recorded as failed with the reply, and the stream goes on.
 */
@Component
class Confirmations implements EventHandler<PurchaseCompleted> {

	private static final Logger logger = LoggerFactory.getLogger(Confirmations.class);

	private final Notifications notifications;

	private final Contacts contacts;

	private final JavaMailSenderImpl mail;

	private final NotificationProperties properties;

	private final Counter sent;

	private final Counter skipped;

	private final Counter failed;

	private final Counter resent;

	Confirmations(Notifications notifications, Contacts contacts, JavaMailSenderImpl mail,
			NotificationProperties properties, MeterRegistry meters) {
		this.notifications = notifications;
		this.contacts = contacts;
		this.mail = mail;
		this.properties = properties;
		this.sent = outcome(meters, "sent");
		this.skipped = outcome(meters, "skipped");
		this.failed = outcome(meters, "failed");
		this.resent = Counter.builder("notifications.resent")
			.description("Confirmations sent again after a process died between the mail server's acceptance and its record")
			.register(meters);
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("notifications")
			.description("Purchases whose confirmation was sent, skipped or failed")
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * @return how many purchases were confirmed, skipped or failed now, the others being
	 * duplicates
	 */
	@Override
	public int apply(List<IncomingEvent<PurchaseCompleted>> events) {
		// The whole poll's purchases claimed, and their customers' preferences read, in one
		// statement each rather than one per purchase: every confirmation waits for its round
		// trips, which add up when replicas share the database (docs/benchmarks.md, P4).
		Map<UUID, Notifications.Status> claimed = this.notifications.claim(events);
		Map<String, Contact> contacts = this.contacts
			.find(events.stream().map((incoming) -> incoming.event().customerId()).distinct().toList());
		// A purchase twice in one poll: the second finds it done by the first.
		Set<UUID> dealtWith = new HashSet<>();
		int applied = 0;
		// One connection to the mail server for the batch: a handshake per message would cost
		// more than the message.
		try (MailConnection connection = new MailConnection(this.mail)) {
			for (IncomingEvent<PurchaseCompleted> incoming : events) {
				PurchaseCompleted purchase = incoming.event();
				if (!dealtWith.add(purchase.purchaseId())) {
					logger.debug("Dropped duplicate of purchase {} (event {})", purchase.purchaseId(), incoming.eventId());
				}
				else if (confirm(incoming, claimed.get(purchase.purchaseId()), contacts.get(purchase.customerId()),
						connection)) {
					applied++;
				}
			}
		}
		return applied;
	}

	private boolean confirm(IncomingEvent<PurchaseCompleted> incoming, Notifications.Status status, Contact contact,
			MailConnection connection) {
		PurchaseCompleted purchase = incoming.event();
		if (status.done()) {
			logger.debug("Dropped duplicate of purchase {} (event {})", purchase.purchaseId(), incoming.eventId());
			return false;
		}
		if (contact == null || contact.email() == null) {
			this.notifications.skipped(purchase.purchaseId(), "no email address");
			this.skipped.increment();
			return true;
		}
		if (!contact.confirmations()) {
			this.notifications.skipped(purchase.purchaseId(), "opted out of confirmations");
			this.skipped.increment();
			return true;
		}
		String recipient = contact.email();
		String messageId = ConfirmationMail.messageId(incoming.eventId(), this.properties.messageIdDomain());
		MimeMessage message;
		try {
			message = ConfirmationMail.build(this.mail.getSession(), purchase, recipient, this.properties.from(), messageId);
		}
		catch (MessagingException ex) {
			// The address itself (a seed file is not validated like the API): nothing to retry.
			this.notifications.failed(purchase.purchaseId(), "the message could not be made: " + ex.getMessage());
			this.failed.increment();
			return true;
		}
		if (!this.notifications.startSending(purchase.purchaseId(), recipient, messageId, this.properties.sendLease())) {
			if (this.notifications.status(purchase.purchaseId()).done()) {
				return false;
			}
			// Another consumer is sending it right now: wait for its outcome (retried with the
			// starter's back-off) rather than send a second copy.
			throw new IllegalStateException("The confirmation of purchase " + purchase.purchaseId()
					+ " is being sent by another consumer");
		}
		try {
			connection.send(message);
		}
		catch (MessagingException ex) {
			String reply = MailFailures.permanentReply(ex);
			if (reply != null) {
				logger.warn("Confirmation of purchase {} to {} refused for good: {}", purchase.purchaseId(), recipient, reply);
				this.notifications.failed(purchase.purchaseId(), reply);
				this.failed.increment();
				return true;
			}
			if (MailFailures.nothingSent(ex)) {
				this.notifications.pending(purchase.purchaseId());
			}
			else {
				this.notifications.released(purchase.purchaseId());
			}
			throw new MailSendException("The confirmation of purchase " + purchase.purchaseId() + " was not sent", ex);
		}
		this.notifications.sent(purchase.purchaseId());
		this.sent.increment();
		if (status == Notifications.Status.SENDING) {
			this.resent.increment();
			logger.info("Confirmation of purchase {} sent again as {} after an interrupted send", purchase.purchaseId(),
					messageId);
		}
		return true;
	}

}
