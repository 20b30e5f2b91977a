package com.example.purchases.notification.confirmation;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

import org.springframework.mail.MailSendException;

/**
 * What a failure to send says. A reply in the 5xx range for the recipient or the message is the
 * mail server's final word on this confirmation: permanent, recorded, and the stream goes on.
 * Anything else (the server unreachable, a 4xx "try later", a timeout) is the infrastructure's:
 * retried until it works, never lost.
 */
final class MailFailures {

	private MailFailures() {
	}

	/** The server's permanent reply, or {@code null} when the failure is transient. */
	static String permanentReply(Throwable failure) {
		for (Throwable cause : causes(failure)) {
			int code = replyCode(cause);
			if (code >= 500 && code < 600) {
				String reply = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("").strip()
						: Integer.toString(code);
				return (reply.length() > 500) ? reply.substring(0, 500) : reply;
			}
		}
		return null;
	}

	/**
	 * Whether the failure happened before the server could accept anything (it could not be
	 * reached, or it answered "later"), rather than where the message may have got through (a
	 * timeout, a connection lost during the transfer).
	 */
	static boolean nothingSent(Throwable failure) {
		List<Throwable> causes = causes(failure);
		if (causes.stream().anyMatch(InterruptedIOException.class::isInstance)) {
			return false;
		}
		return causes.stream()
			.anyMatch((cause) -> cause instanceof ConnectException || cause instanceof UnknownHostException
					|| replyCode(cause) >= 400);
	}

	private static int replyCode(Throwable cause) {
		if (cause instanceof SMTPAddressFailedException address) {
			return address.getReturnCode();
		}
		if (cause instanceof SMTPSenderFailedException sender) {
			return sender.getReturnCode();
		}
		if (cause instanceof SMTPSendFailedException send) {
			return send.getReturnCode();
		}
		return -1;
	}

	/** The failure and everything it carries: causes, chained mail exceptions, failed messages. */
	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> causes = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Deque<Throwable> next = new ArrayDeque<>(List.of(failure));
		while (!next.isEmpty() && causes.size() < 50) {
			Throwable cause = next.pop();
			if (!seen.add(cause)) {
				continue;
			}
			causes.add(cause);
			if (cause.getCause() != null) {
				next.add(cause.getCause());
			}
			if (cause instanceof MessagingException messaging && messaging.getNextException() != null) {
				next.add(messaging.getNextException());
			}
			if (cause instanceof MailSendException send) {
				next.addAll(send.getFailedMessages().values());
			}
		}
		return causes;
	}

}
