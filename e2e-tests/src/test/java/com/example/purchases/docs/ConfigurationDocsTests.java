package com.example.purchases.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * {@code docs/configuration.md} against the configuration metadata that each module's build
 * writes ({@code spring-boot-configuration-processor}, plus the additional metadata of the
 * properties read with {@code @Value}): every property a module declares is on the page, in its
 * module's section, with its default; and every property the page lists under a module's own
 * prefixes exists. So a property added, renamed or removed, or a default changed, fails the
 * build until the page follows.
 */
class ConfigurationDocsTests {

	/** The sections of the page that document a module's properties, by module. */
	private static final Map<String, List<String>> SECTIONS = Map.of("service-support",
			List.of("Every service", "Every subscriber"));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TestFactory
	Stream<DynamicTest> everyModuleDocumentsItsProperties() throws IOException {
		Map<String, Map<String, String>> page = Markdown.propertyTables(Docs.read("docs/configuration.md"));
		List<Path> metadata = Docs.modules()
			.map((module) -> module.resolve("target/classes/META-INF/spring-configuration-metadata.json"))
			.filter(Files::exists)
			.toList();
		assertThat(metadata).as("modules whose build wrote configuration metadata").hasSizeGreaterThanOrEqualTo(7);
		return metadata.stream().map((file) -> {
			String module = file.getParent().getParent().getParent().getParent().getFileName().toString();
			return DynamicTest.dynamicTest(module, () -> assertDocumented(module, file, page));
		});
	}

	private static void assertDocumented(String module, Path metadataFile, Map<String, Map<String, String>> page)
			throws IOException {
		JsonNode metadata = JSON.readTree(metadataFile.toFile());
		Map<String, String> declared = new LinkedHashMap<>();
		for (JsonNode property : metadata.path("properties")) {
			JsonNode defaultValue = property.path("defaultValue");
			declared.put(property.path("name").asString(), defaultValue.isMissingNode() ? null : text(defaultValue));
		}
		Set<String> ownPrefixes = new TreeSet<>();
		for (JsonNode group : metadata.path("groups")) {
			if (group.path("sourceType").asString("").startsWith("com.example.")) {
				ownPrefixes.add(group.path("name").asString() + ".");
			}
		}
		declared.keySet().forEach((name) -> ownPrefixes.add(name.substring(0, name.lastIndexOf('.') + 1)));

		Map<String, String> documented = new LinkedHashMap<>();
		List<String> sections = SECTIONS.getOrDefault(module, List.of(module));
		sections.forEach((section) -> documented.putAll(page.getOrDefault(section, Map.of())));

		assertSoftly((softly) -> {
			softly.assertThat(page).as("docs/configuration.md has a section for " + module).containsKey(sections.get(0));
			declared.forEach((name, defaultValue) -> {
				softly.assertThat(documented).as("%s declares %s: docs/configuration.md, section %s", module, name, sections)
					.containsKey(name);
				if (defaultValue != null && documented.containsKey(name)) {
					softly.assertThat(documented.get(name)).as("the default of %s on the page", name)
						.contains("`" + defaultValue + "`");
				}
			});
			documented.keySet()
				.stream()
				.filter((name) -> ownPrefixes.stream().anyMatch(name::startsWith))
				.forEach((name) -> softly.assertThat(declared)
					.as("docs/configuration.md lists %s under %s, which declares no such property", name, module)
					.containsKey(name));
		});
	}

	private static String text(JsonNode value) {
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asString()));
			return String.join(",", items);
		}
		return value.asString();
	}

}
