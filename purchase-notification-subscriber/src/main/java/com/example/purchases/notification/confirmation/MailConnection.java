package com.example.purchases.notification.confirmation;

import java.util.Date;

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
			if (message.getSentDate() == null) {
				message.setSentDate(new Date());
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
