package com.example.purchases.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * This service's own settings, under {@code notification.*}.
 *
 * @param from the sender of the confirmations
 * @param messageIdDomain the right-hand side of each confirmation's {@code Message-ID}, whose
 * left-hand side is the event id: a confirmation sent twice is the same message to a mail system
 * @param contactsSeed a CSV file of {@code customerId,email,confirmations} loaded at start-up;
 * customers already known keep their preferences
 * @param sendLease how long a confirmation being sent by one consumer is left to it; one still
 * unrecorded after that is taken to have died with its process and is sent again. Longer than a
 * send can take (the SMTP timeouts), so that two live consumers never both send it.
 */
@ConfigurationProperties("notification")
public record NotificationProperties(@DefaultValue("Purchases <confirmations@shop.example>") String from,
		@DefaultValue("purchase-notification.shop.example") String messageIdDomain,
		@DefaultValue("classpath:contacts-seed.csv") Resource contactsSeed, @DefaultValue("30s") Duration sendLease) {
}
