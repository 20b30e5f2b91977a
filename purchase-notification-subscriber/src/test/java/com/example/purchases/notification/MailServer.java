package com.example.purchases.notification;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The mail server of the tests: GreenMail, the image users run in compose ({@code MAIL_IMAGE},
 * default {@code greenmail/standalone:2.1.3}); {@code @ImportTestcontainers(MailServer.class)}
 * starts it and points the context's mail sender at its SMTP port. What it received is read back
 * from its web API.
 */
interface MailServer {

	@Container
	GenericContainer<?> greenmail = new GenericContainer<>(
			DockerImageName.parse(System.getenv().getOrDefault("MAIL_IMAGE", "greenmail/standalone:2.1.3")))
		.withExposedPorts(3025, 8080)
		.waitingFor(Wait.forHttp("/api/service/readiness").forPort(8080));

	/** The header as the mail server received it. */
	Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(\\S+)");

	@DynamicPropertySource
	static void mail(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", greenmail::getHost);
		registry.add("spring.mail.port", () -> greenmail.getMappedPort(3025));
	}

	/** The messages in a recipient's inbox, as the mail server has them. */
	static List<Message> inbox(String address) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://" + greenmail.getHost() + ":" + greenmail.getMappedPort(8080)
						+ "/api/user/" + URLEncoder.encode(address, StandardCharsets.UTF_8) + "/messages/"))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 404 || response.statusCode() == 400) {
				return List.of();
			}
			List<Message> messages = new ArrayList<>();
			for (JsonNode message : JsonMapper.shared().readTree(response.body())) {
				String source = message.path("mimeMessage").asString();
				Matcher id = MESSAGE_ID.matcher(source);
				messages.add(new Message(id.find() ? id.group(1) : null, message.path("subject").asString(), source));
			}
			return messages;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param messageId its {@code Message-ID}
	 * @param subject its subject
	 * @param source the whole message as received
	 */
	record Message(String messageId, String subject, String source) {
	}

}
