package com.example.purchases.stock.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the outbox is relayed, under {@code stock.outbox.*}.
 *
 * @param relayEnabled whether this process relays (every replica may: rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED})
 * @param pollInterval how often the outbox is looked at
 * @param batchSize events claimed and sent per transaction
 * @param retention how long published events are kept before they are deleted
 */
@ConfigurationProperties("stock.outbox")
record OutboxProperties(@DefaultValue("true") boolean relayEnabled, @DefaultValue("200ms") Duration pollInterval,
		@DefaultValue("100") int batchSize, @DefaultValue("7d") Duration retention) {
}
