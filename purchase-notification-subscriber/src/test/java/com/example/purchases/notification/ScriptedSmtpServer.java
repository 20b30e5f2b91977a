package com.example.purchases.notification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server on loopback that answers as a test scripts it, for the replies GreenMail never
 * gives: a recipient refused for good ({@code 550}), "try later" ({@code 451}), no server at all,
 * and a message accepted whose acceptance the client never hears. It speaks the protocol for
 * real (EHLO, MAIL, RCPT, DATA with dot-stuffing, RSET, QUIT), so the service's own mail client
 * is what is tested.
 */
final class ScriptedSmtpServer implements AutoCloseable {

	private final int port;

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final Map<String, String> refused = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> later = new ConcurrentHashMap<>();

	private volatile CountDownLatch holdAcceptance;

	private volatile ServerSocket socket;

	private volatile Thread acceptor;

	ScriptedSmtpServer() throws IOException {
		this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.port = this.socket.getLocalPort();
		accept();
	}

	int port() {
		return this.port;
	}

	/** The messages received, whole, in order. */
	List<String> received() {
		return List.copyOf(this.received);
	}

	/** Refuses the recipient with this reply (a 5xx). */
	void refuse(String recipient, String reply) {
		this.refused.put(recipient, reply);
	}

	/** Answers {@code 451} for the recipient this many times, then accepts it. */
	void later(String recipient, int times) {
		this.later.put(recipient, new AtomicInteger(times));
	}

	/**
	 * Keeps the next messages' {@code 250} after their data until the latch is released: the
	 * message is received, the client does not know it.
	 */
	void holdAcceptance(CountDownLatch release) {
		this.holdAcceptance = release;
	}

	/** No server on the port until {@link #start()}: connections are refused. */
	void stop() throws IOException {
		this.socket.close();
		this.acceptor.interrupt();
	}

	void start() throws IOException {
		ServerSocket again = new ServerSocket();
		again.setReuseAddress(true);
		again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 50);
		this.socket = again;
		accept();
	}

	@Override
	public void close() throws IOException {
		stop();
	}

	private void accept() {
		ServerSocket listening = this.socket;
		this.acceptor = daemon("smtp-" + this.port, () -> {
			while (!listening.isClosed()) {
				try {
					Socket client = listening.accept();
					daemon("smtp-session", () -> session(client));
				}
				catch (IOException ex) {
					return;
				}
			}
		});
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private void session(Socket client) {
		try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
				StandardCharsets.UTF_8)); OutputStream out = client.getOutputStream()) {
			reply(out, "220 scripted ESMTP");
			String line;
			while ((line = in.readLine()) != null) {
				String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
				switch (command) {
					case "EHLO" -> reply(out, "250-scripted\r\n250 8BITMIME");
					case "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 OK");
					case "RCPT" -> reply(out, recipient(line));
					case "DATA" -> {
						reply(out, "354 End data with <CR><LF>.<CR><LF>");
						this.received.add(data(in));
						CountDownLatch hold = this.holdAcceptance;
						if (hold != null) {
							hold.await(60, TimeUnit.SECONDS);
						}
						reply(out, "250 2.0.0 Ok: queued");
					}
					case "QUIT" -> {
						reply(out, "221 Bye");
						return;
					}
					default -> reply(out, "502 5.5.2 Command not recognized");
				}
			}
		}
		catch (IOException ex) {
			// The client went away.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String recipient(String line) {
		String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
		String refusal = this.refused.get(address);
		if (refusal != null) {
			return refusal;
		}
		AtomicInteger times = this.later.get(address);
		if (times != null && times.getAndDecrement() > 0) {
			return "451 4.3.0 <" + address + ">: Temporary failure, try again later";
		}
		return "250 OK";
	}

	private static String data(BufferedReader in) throws IOException {
		StringBuilder message = new StringBuilder();
		String line;
		while ((line = in.readLine()) != null && !line.equals(".")) {
			message.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
		}
		return message.toString();
	}

	private static void reply(OutputStream out, String reply) throws IOException {
		out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

}
