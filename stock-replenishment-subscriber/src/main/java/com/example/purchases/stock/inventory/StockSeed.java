package com.example.purchases.stock.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * Loads the seed file ({@code stock.seed}) before the consumer starts, so that a seeded SKU
 * never starts with the defaults. Lines are {@code sku,onHand,reorderPoint,reorderQuantity};
 * {@code #} starts a comment. SKUs already known keep their stock: the seed is where stock
 * starts, not a reset.
 */
@Component
class StockSeed implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(StockSeed.class);

	private final StockLevels stock;

	private final Resource seed;

	StockSeed(StockLevels stock, InventoryProperties properties) {
		this.stock = stock;
		this.seed = properties.seed();
	}

	@Override
	public void afterPropertiesSet() {
		if (this.seed == null || !this.seed.exists()) {
			logger.info("No stock seed at {}", this.seed);
			return;
		}
		List<StockLevel> levels = read(this.seed);
		int added = this.stock.seed(levels);
		logger.info("Stock seed {}: {} SKUs, {} new", this.seed.getDescription(), levels.size(), added);
	}

	static List<StockLevel> read(Resource seed) {
		List<StockLevel> levels = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(seed.getInputStream(), StandardCharsets.UTF_8))) {
			int number = 0;
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				number++;
				String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
				if (content.isBlank() || content.startsWith("sku,")) {
					continue;
				}
				String[] fields = content.split(",");
				if (fields.length != 4 || !fields[0].strip().matches(StockController.SKU)) {
					throw new IllegalStateException(
							seed.getDescription() + " line " + number + ": expected sku,onHand,reorderPoint,reorderQuantity");
				}
				levels.add(new StockLevel(fields[0].strip(), Long.parseLong(fields[1].strip()),
						Long.parseLong(fields[2].strip()), Long.parseLong(fields[3].strip())));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + seed.getDescription(), ex);
		}
		return levels;
	}

}
