package com.example.purchases.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Requests the publisher must refuse: wrong types, missing fields, huge numbers, deep nesting,
 * unicode tricks, oversize bodies, wrong content types, malformed JSON, values out of range.
 * Generated, not hand-picked, by varying a valid purchase one defect at a time.
 */
final class HostileRequests {

	/** A request: its body, content type (null for none) and headers. */
	record Request(String kind, String body, String contentType, Map<String, String> headers) {
	}

	private static final String LINE = "{\"sku\": \"SKU-1\", \"quantity\": 2, \"unitPrice\": 19.90}";

	private HostileRequests() {
	}

	/** The first {@code count} requests of the generated set, repeated in turn if needed. */
	static List<Request> take(int count) {
		List<Request> all = all();
		List<Request> taken = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			taken.add(all.get(i % all.size()));
		}
		return taken;
	}

	static List<Request> all() {
		List<Request> requests = new ArrayList<>();
		Map<String, String> none = Map.of();
		// Wrong types, field by field.
		for (String value : List.of("42", "true", "[]", "{}", "null", "1.5")) {
			requests.add(json("wrong type: customerId", purchase(value, "\"BRL\"", "[" + LINE + "]")));
			requests.add(json("wrong type: currency", purchase("\"c-1\"", value, "[" + LINE + "]")));
			requests.add(json("wrong type: items", purchase("\"c-1\"", "\"BRL\"", value)));
			requests.add(json("wrong type: sku", purchase("\"c-1\"", "\"BRL\"",
					"[{\"sku\": " + value + ", \"quantity\": 1, \"unitPrice\": 1}]")));
		}
		for (String value : List.of("\"2\"", "true", "[]", "{}", "null", "\"\"")) {
			requests.add(json("wrong type: quantity", purchase("\"c-1\"", "\"BRL\"",
					"[{\"sku\": \"SKU-1\", \"quantity\": " + value + ", \"unitPrice\": 1}]")));
			requests.add(json("wrong type: unitPrice", purchase("\"c-1\"", "\"BRL\"",
					"[{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": " + value + "}]")));
		}
		requests.add(json("wrong type: quantity", purchase("\"c-1\"", "\"BRL\"",
				"[{\"sku\": \"SKU-1\", \"quantity\": 1.5, \"unitPrice\": 1}]")));
		// Missing fields.
		requests.add(json("missing: customerId", "{\"currency\": \"BRL\", \"items\": [" + LINE + "]}"));
		requests.add(json("missing: currency", "{\"customerId\": \"c-1\", \"items\": [" + LINE + "]}"));
		requests.add(json("missing: items", "{\"customerId\": \"c-1\", \"currency\": \"BRL\"}"));
		requests.add(json("missing: line fields", purchase("\"c-1\"", "\"BRL\"", "[{}]")));
		requests.add(json("missing: everything", "{}"));
		// Huge and tiny numbers.
		for (String number : List.of("1e308", "1e400", "-1e400", "1e-400", "99999999999999999999999999",
				"-99999999999999999999", "1" + "0".repeat(2000), "0.000000000000000000001", "-0", "1E+2147483647")) {
			requests.add(json("huge number: quantity", purchase("\"c-1\"", "\"BRL\"",
					"[{\"sku\": \"SKU-1\", \"quantity\": " + number + ", \"unitPrice\": 1}]")));
			requests.add(json("huge number: unitPrice", purchase("\"c-1\"", "\"BRL\"",
					"[{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": " + number + "}]")));
		}
		// Deep nesting.
		for (int depth : List.of(100, 1000, 5000, 20000)) {
			requests.add(json("deep nesting: arrays", purchase("\"c-1\"", "\"BRL\"",
					"[".repeat(depth) + "]".repeat(depth))));
			requests.add(json("deep nesting: objects",
					"{\"customerId\": " + "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth) + "}"));
		}
		// Unicode tricks.
		for (String tricky : List.of("\\u202ec-1", "c\\u200d-1", "ｃ-１", "c-😀", "c\\u0000-1", "\\ud800", "с-42",
				"c-1\\n", "c-1\\r\\nX-Injected: yes", "c-" + "é".repeat(10), "../../etc/passwd", "c-1<script>")) {
			requests.add(json("unicode: customerId", purchase("\"" + tricky + "\"", "\"BRL\"", "[" + LINE + "]")));
			requests.add(json("unicode: sku", purchase("\"c-1\"", "\"BRL\"",
					"[{\"sku\": \"" + tricky + "\", \"quantity\": 1, \"unitPrice\": 1}]")));
		}
		requests.add(json("unicode: currency", purchase("\"c-1\"", "\"ВRL\"", "[" + LINE + "]")));
		requests.add(json("unicode: currency", purchase("\"c-1\"", "\"ＢＲＬ\"", "[" + LINE + "]")));
		// Oversize bodies.
		for (int kib : List.of(65, 128, 1024)) {
			requests.add(json("oversize body", purchase("\"c-1\"", "\"BRL\"", "[" + LINE + "]") + " ".repeat(kib * 1024)));
			requests.add(json("oversize string",
					purchase("\"" + "c".repeat(kib * 1024) + "\"", "\"BRL\"", "[" + LINE + "]")));
		}
		String lines = String.join(",", java.util.Collections.nCopies(101, LINE));
		requests.add(json("too many items", purchase("\"c-1\"", "\"BRL\"", "[" + lines + "]")));
		// Wrong content types.
		String valid = purchase("\"c-1\"", "\"BRL\"", "[" + LINE + "]");
		for (String contentType : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
				"multipart/form-data; boundary=x", "application/octet-stream", "text/html", "image/png",
				"application/json-patch+json")) {
			requests.add(new Request("content type: " + contentType, valid, contentType, none));
		}
		requests.add(new Request("no content type", valid, null, none));
		// Malformed JSON.
		for (String malformed : List.of("", "{", "}", "{\"customerId\": ", "{'customerId': 'c-1'}",
				"{\"customerId\": \"c-1\",}", "[1,2,]", "{\"a\": NaN}", "{\"a\": Infinity}", "{/* comment */}", "null",
				"[]", "\"purchase\"", "42", "{\"customerId\": \"c-1\"} {\"customerId\": \"c-2\"}",
				"{\"customerId\": \"c-1\", \"customerId\": \"c-2\", \"currency\": \"BRL\", \"items\": [" + LINE + "]}",
				"{\"customerId\": \"c-1\\x\"}", "{\"customerId\": \"c-1")) {
			requests.add(json("malformed JSON", malformed));
		}
		// Values out of range, one at a time.
		for (String customer : List.of("\"\"", "\"" + "c".repeat(65) + "\"", "\"c 1\"", "\"c/1\"")) {
			requests.add(json("invalid: customerId", purchase(customer, "\"BRL\"", "[" + LINE + "]")));
		}
		for (String currency : List.of("\"brl\"", "\"XAU\"", "\"XXX\"", "\"ABC\"", "\"BR\"", "\"BRLL\"", "\"\"")) {
			requests.add(json("invalid: currency", purchase("\"c-1\"", currency, "[" + LINE + "]")));
		}
		for (String line : List.of("{\"sku\": \"SKU-1\", \"quantity\": 0, \"unitPrice\": 1}",
				"{\"sku\": \"SKU-1\", \"quantity\": -1, \"unitPrice\": 1}",
				"{\"sku\": \"SKU-1\", \"quantity\": 10001, \"unitPrice\": 1}",
				"{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 0}",
				"{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": -0.01}",
				"{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 1000000.01}",
				"{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 19.999}",
				"{\"sku\": \"\", \"quantity\": 1, \"unitPrice\": 1}",
				"{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 1, \"discount\": 0.5}")) {
			requests.add(json("invalid: line", purchase("\"c-1\"", "\"BRL\"", "[" + line + "]")));
		}
		requests.add(json("invalid: no items", purchase("\"c-1\"", "\"BRL\"", "[]")));
		requests.add(json("invalid: yen with decimals", purchase("\"c-1\"", "\"JPY\"",
				"[{\"sku\": \"SKU-1\", \"quantity\": 1, \"unitPrice\": 100.5}]")));
		requests.add(json("unknown field", "{\"customerId\": \"c-1\", \"currency\": \"BRL\", \"items\": [" + LINE
				+ "], \"admin\": true}"));
		// Headers.
		for (String key : List.of("k".repeat(129), "key\twith tab", "")) {
			requests.add(new Request("invalid: Idempotency-Key", valid, "application/json", Map.of("Idempotency-Key", key)));
		}
		return requests;
	}

	private static Request json(String kind, String body) {
		return new Request(kind, body, "application/json", Map.of());
	}

	private static String purchase(String customerId, String currency, String items) {
		return "{\"customerId\": " + customerId + ", \"currency\": " + currency + ", \"items\": " + items + "}";
	}

}
