package com.example.purchases.docs;

import java.util.LinkedHashMap;
import java.util.Map;

/** Just enough Markdown for the documentation checks: sections and their property tables. */
final class Markdown {

	private Markdown() {
	}

	/**
	 * The rows of the tables in each {@code ## } section whose first cell is one property in
	 * backticks, as the property's name and the row's second cell (its default).
	 */
	static Map<String, Map<String, String>> propertyTables(String markdown) {
		Map<String, Map<String, String>> sections = new LinkedHashMap<>();
		Map<String, String> current = null;
		for (String line : markdown.split("\n")) {
			if (line.startsWith("## ")) {
				current = new LinkedHashMap<>();
				sections.put(line.substring(3).strip(), current);
			}
			else if (current != null && line.startsWith("| `")) {
				String[] cells = line.split("\\|");
				String name = cells[1].strip();
				if (name.matches("`[a-z0-9.-]+`")) {
					current.put(name.substring(1, name.length() - 1), cells.length > 2 ? cells[2].strip() : "");
				}
			}
		}
		return sections;
	}

}
