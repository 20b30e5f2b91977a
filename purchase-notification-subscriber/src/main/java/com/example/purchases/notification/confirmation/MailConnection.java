package com.example.purchases.notification.confirmation;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * One connection to the mail server, opened at the first message and kept for the next ones.
 * After a failure it is closed (what the server thinks of the session is then unknown), and the
 * next message opens a new one.
 */
final class MailConnection implements AutoCloseable {

	/**
	 * RFC 5322's date-time. Not {@code MimeMessage.setSentDate}: its formatter looks the time
	 * zone's display name up for every message, a tenth of the CPU a confirmation cost in a
	 * profile of the P4 benchmark (docs/benchmarks.md). Not {@code RFC_1123_DATE_TIME} either:
	 * it writes UTC as {@code GMT}, a zone RFC 5322 keeps only as obsolete syntax.
	 */
	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

	private final JavaMailSenderImpl mail;

	private Transport transport;

	MailConnection(JavaMailSenderImpl mail) {
		this.mail = mail;
	}

	/** Hands the message to the mail server: it accepted it when this returns. */
	void send(MimeMessage message) throws MessagingException {
		try {
			if (this.transport == null) {
				Transport opened = this.mail.getSession().getTransport(this.mail.getProtocol());
				opened.connect(this.mail.getHost(), this.mail.getPort(), this.mail.getUsername(), this.mail.getPassword());
				this.transport = opened;
			}
			if (message.getHeader("Date") == null) {
				message.setHeader("Date", DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
			}
			message.saveChanges();
			this.transport.sendMessage(message, message.getAllRecipients());
		}
		catch (MessagingException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	@Override
	public void close() {
		if (this.transport != null) {
			try {
				this.transport.close();
			}
			catch (MessagingException ex) {
				// Every message handed over was accepted already; QUIT is a courtesy.
			}
			this.transport = null;
		}
	}

}
