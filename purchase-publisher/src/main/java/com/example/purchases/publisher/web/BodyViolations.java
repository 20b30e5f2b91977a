package com.example.purchases.publisher.web;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.validation.Validator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

import com.example.purchases.web.ApiProblemHandler.Violation;

/**
 * Every violation of a JSON body that could not be bound to its record type.
 * <p>
 * Jackson stops at the first value of the wrong type. To list them all, the body is walked
 * against the record's structure: each value of the wrong type and each unknown field is a
 * violation and is left out; what remains is bound and checked against the record's own
 * Bean Validation constraints, so the constraints stay in one place.
 */
final class BodyViolations {

	private static final Pattern CONTAINER_ELEMENT = Pattern.compile("\\.<[^>]+>");

	private BodyViolations() {
	}

	/**
	 * @param body a syntactically valid JSON body
	 * @param type the record type it was to be bound to
	 * @return the violations, or empty if the body's shape was not the problem or the body is
	 * not even an object
	 */
	static List<Violation> of(JsonNode body, Type type, JsonMapper mapper, Validator validator) {
		List<Violation> violations = new ArrayList<>();
		JsonNode fitting = fit(body, type, "", violations);
		if (violations.isEmpty() || fitting.isNull()) {
			return List.of();
		}
		Set<String> reported = violations.stream().map(Violation::field).collect(Collectors.toCollection(HashSet::new));
		Object bound = mapper.treeToValue(fitting, mapper.constructType(type));
		validator.validate(bound).forEach((violation) -> {
			// "items[2].<list element>" is "items[2]" to a client, as in Spring's own binding errors
			String field = CONTAINER_ELEMENT.matcher(violation.getPropertyPath().toString()).replaceAll("");
			if (!reported.contains(field)) { // a value left out is not also "must not be null"
				violations.add(new Violation(field, violation.getMessage()));
			}
		});
		return violations;
	}

	private static JsonNode fit(JsonNode node, Type type, String path, List<Violation> violations) {
		if (node == null || node.isNull()) {
			return NullNode.getInstance();
		}
		Class<?> raw = raw(type);
		if (raw == String.class) {
			return node.isString() ? node : wrong(path, "must be a string", violations);
		}
		if (raw == Integer.class || raw == int.class) {
			if (!node.isIntegralNumber()) {
				return wrong(path, "must be an integer", violations);
			}
			return node.canConvertToInt() ? node : wrong(path, "is out of range", violations);
		}
		if (Number.class.isAssignableFrom(raw)) {
			return node.isNumber() ? node : wrong(path, "must be a number", violations);
		}
		if (List.class.isAssignableFrom(raw)) {
			if (!node.isArray()) {
				return wrong(path, "must be an array", violations);
			}
			Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
			ArrayNode fitting = JsonNodeFactory.instance.arrayNode();
			for (int i = 0; i < node.size(); i++) {
				fitting.add(fit(node.get(i), element, path + "[" + i + "]", violations));
			}
			return fitting;
		}
		if (raw.isRecord()) {
			if (!node.isObject()) {
				return wrong(path, "must be an object", violations);
			}
			Map<String, RecordComponent> components = Arrays.stream(raw.getRecordComponents())
				.collect(Collectors.toMap(RecordComponent::getName, Function.identity()));
			ObjectNode fitting = JsonNodeFactory.instance.objectNode();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				String field = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
				RecordComponent component = components.get(property.getKey());
				if (component == null) {
					violations.add(new Violation(field, "is not a known field"));
				}
				else {
					fitting.set(property.getKey(), fit(property.getValue(), component.getGenericType(), field, violations));
				}
			}
			return fitting;
		}
		return node;
	}

	private static JsonNode wrong(String path, String message, List<Violation> violations) {
		violations.add(new Violation(path, message));
		return NullNode.getInstance();
	}

	private static Class<?> raw(Type type) {
		return (type instanceof ParameterizedType parameterized) ? (Class<?>) parameterized.getRawType()
				: (Class<?>) type;
	}

}
