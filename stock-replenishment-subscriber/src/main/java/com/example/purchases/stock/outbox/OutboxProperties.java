package com.example.purchases.stock.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the outbox is relayed, under {@code stock.outbox.*}.
 *
 * @param relayEnabled whether this process relays (every replica may: one at a time relays,
 * the others wait their turn)
 * @param pollInterval how often the outbox is looked at
 * @param batchSize events sent per relay transaction
 * @param sendTimeout the longest a relay transaction waits for the broker's acknowledgements;
 * it holds the relay's lock (not any stock row) meanwhile, and gives up and rolls back after it
 * @param retention how long published events are kept before they are deleted
 */
@ConfigurationProperties("stock.outbox")
record OutboxProperties(@DefaultValue("true") boolean relayEnabled, @DefaultValue("200ms") Duration pollInterval,
		@DefaultValue("100") int batchSize, @DefaultValue("10s") Duration sendTimeout,
		@DefaultValue("7d") Duration retention) {
}
