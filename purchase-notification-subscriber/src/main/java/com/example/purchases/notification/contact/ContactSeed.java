package com.example.purchases.notification.contact;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.purchases.notification.NotificationProperties;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * Loads the contact preferences of {@code notification.contacts-seed} at start-up, as the stock
 * service loads its stock: customers already known keep theirs.
 */
@Component
class ContactSeed implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(ContactSeed.class);

	private final Contacts contacts;

	private final Resource seed;

	ContactSeed(Contacts contacts, NotificationProperties properties) {
		this.contacts = contacts;
		this.seed = properties.contactsSeed();
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.seed == null || !this.seed.exists()) {
			return;
		}
		List<Contact> read = read(this.seed);
		int added = this.contacts.seed(read);
		logger.info("Contacts seed {}: {} customers, {} new", this.seed.getDescription(), read.size(), added);
	}

	/** {@code customerId,email,confirmations}; a header line, blank lines and {@code #} comments are skipped. */
	static List<Contact> read(Resource seed) {
		List<Contact> contacts = new ArrayList<>();
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(seed.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			int number = 0;
			while ((line = lines.readLine()) != null) {
				number++;
				line = line.strip();
				if (line.isEmpty() || line.startsWith("#") || line.startsWith("customerId,")) {
					continue;
				}
				String[] fields = line.split(",", -1);
				if (fields.length != 3 || fields[0].isBlank()) {
					throw new IllegalStateException("Line " + number + " of " + seed.getDescription()
							+ " is not customerId,email,confirmations: " + line);
				}
				contacts.add(new Contact(fields[0].strip(), fields[1].isBlank() ? null : fields[1].strip(),
						Boolean.parseBoolean(fields[2].strip()), null));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + seed.getDescription(), ex);
		}
		return contacts;
	}

}
