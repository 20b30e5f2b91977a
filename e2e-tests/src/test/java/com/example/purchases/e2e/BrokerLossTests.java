package com.example.purchases.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.example.purchases.e2e.ComposeStackExtension.Stack;
import com.example.purchases.e2e.SystemUnderTest.Accounting;
import com.example.purchases.e2e.SystemUnderTest.DeadLetters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secured three-broker stack ({@code docker-compose.cluster.yml}: TLS, SCRAM and ACLs,
 * replication factor 3, {@code min.insync.replicas} 2) losing a broker under load: no purchase
 * the publisher acknowledged is lost, none is applied twice.
 */
@Stack({ "docker-compose.yml", "docker-compose.cluster.yml" })
@Order(4)
class BrokerLossTests {

	private static SystemUnderTest system;

	@BeforeAll
	static void start(SystemUnderTest started) {
		system = started;
	}

	@Test
	void aBrokerKilledUnderLoadLosesNoAcknowledgedPurchase() throws Exception {
		List<String> skus = List.of("BROKER-A", "BROKER-B", "BROKER-C");
		Map<String, JsonNode> initial = system.stockLevels(skus);
		DeadLetters deadLettersBefore = system.deadLetters();
		Ledger ledger = new Ledger();
		int stream = FaultInjectionTests.LONG ? 10_000 : 2_000;
		// The short form's rate is below what this stack sustains on 2 cores with three brokers.
		int perSecond = FaultInjectionTests.LONG ? 50 : 20;
		SteadyClients.Unavailability unavailability;
		try (SteadyClients clients = new SteadyClients(system, ledger, "c-broker", 50, skus, perSecond, stream)) {
			clients.awaitPlaced(stream / 3);
			// SIGKILL of a broker, leader of some partitions: the others have every acknowledged
			// record (acks=all, min.insync.replicas 2) and take over.
			system.stack.kill(system.stack.containers("kafka-2").get(0));
			clients.awaitPlaced(stream);
			unavailability = clients.unavailable();
		}

		Accounting accounting = system.awaitAndAccount(ledger, initial, Duration.ofMinutes(3));
		FaultInjectionTests.assertExactlyOnce(accounting, 0);
		DeadLetters deadLetters = system.deadLetters().since(deadLettersBefore);
		assertThat(deadLetters).isEqualTo(DeadLetters.NONE);
		ReliabilityReport.row("7. One of three brokers killed (SIGKILL) in a %d-purchase stream".formatted(ledger.size()),
				accounting, deadLetters.toString(), "%d answers 503 during the failover, retried with their keys".formatted(
						unavailability.answers()));
	}

}
