package com.example.purchases.history.purchase;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How a batch of purchases is written: set-based statements on PostgreSQL, portable JDBC
 * batches on any other database (H2 for {@code java -jar} and most tests).
 */
@Configuration(proxyBeanMethods = false)
class PurchaseRowsConfiguration {

	@Bean
	PurchaseRows purchaseRows(JdbcTemplate jdbc) {
		String database = jdbc.execute((ConnectionCallback<String>) (connection) -> connection.getMetaData()
			.getDatabaseProductName());
		return "PostgreSQL".equals(database) ? new PostgresPurchaseRows(jdbc) : new BatchedPurchaseRows(jdbc);
	}

}
