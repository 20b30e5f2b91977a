package com.example.purchases.dashboard.flow;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the page watches, under {@code dashboard.*}.
 *
 * @param topic the topic whose flow is shown: its publish rate and the groups that read it
 * @param replenishmentTopic where the latest replenishment orders are read from
 * @param refreshInterval how often Kafka is sampled while a page watches (the page polls as often)
 * @param idleAfter sampling stops when no page has asked for this long, and starts again with the
 * next page's request
 * @param rateWindow the publish rate is averaged over this window
 * @param history how many samples of the rate the page charts
 * @param latestReplenishments how many replenishment orders the page lists
 */
@ConfigurationProperties("dashboard")
record DashboardProperties(@DefaultValue("purchases.completed") String topic,
		@DefaultValue("stock.replenishment-requested") String replenishmentTopic,
		@DefaultValue("1s") Duration refreshInterval, @DefaultValue("10s") Duration idleAfter,
		@DefaultValue("3s") Duration rateWindow,
		@DefaultValue("90") int history, @DefaultValue("10") int latestReplenishments) {
}
