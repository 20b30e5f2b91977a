package com.example.purchases.stock.purchase;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The topic of {@code PurchaseCompleted} events, declared here too so that this service can
 * start before the publisher without the broker creating the topic with its own defaults.
 * The same properties as the publisher's.
 */
@Validated
@ConfigurationProperties("purchases.topic")
record PurchasesTopicProperties(@DefaultValue("purchases.completed") @NotBlank String name,
		@DefaultValue("6") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicationFactor,
		@DefaultValue("0") @Min(0) int minInsyncReplicas) {
}
