package com.example.purchases.security;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firewall with {@link HeaderValues} lets exactly the header names and values through that
 * Spring Security's default firewall does, for every code point and for the mixed cases.
 */
class HeaderValuesTests {

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/purchases");

	private final HttpServletRequest byDefault = new StrictHttpFirewall().getFirewalledRequest(this.request);

	private final HttpServletRequest byLoop = withHeaderValues().getFirewalledRequest(this.request);

	@Test
	void everyCodePointIsJudgedAsByTheDefaultFirewall() {
		int allowedValues = 0;
		int allowedNames = 0;
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String text = "a" + Character.toString(codePoint) + "z";
			boolean value = allowsValue(this.byDefault, text);
			assertThat(allowsValue(this.byLoop, text)).as("value U+%04X", codePoint).isEqualTo(value);
			boolean name = allowsName(this.byDefault, text);
			assertThat(allowsName(this.byLoop, text)).as("name U+%04X", codePoint).isEqualTo(name);
			allowedValues += value ? 1 : 0;
			allowedNames += name ? 1 : 0;
		}
		// Both sides of the line exist: the comparison above is not between two "always".
		assertThat(allowedValues).isBetween(100_000, Character.MAX_CODE_POINT);
		assertThat(allowedNames).isEqualTo(allowedValues - 1);
	}

	@Test
	void mixedTextIsJudgedAsByTheDefaultFirewall() {
		List<String> texts = List.of("", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "tab\tinside", "line\nfeed",
				"carriage\rreturn", "nul\0", "del\u007F", "caf\u00E9", "\u0085next line", "emoji \uD83D\uDE00",
				"lone high \uD800", "lone low \uDC00 end", "\uDC00\uD800 reversed", "unassigned \u0378",
				"private use \uE000", "\uD83F\uDFFF noncharacter");
		for (String text : texts) {
			assertThat(allowsValue(this.byLoop, text)).as("value %s", text).isEqualTo(allowsValue(this.byDefault, text));
			assertThat(allowsName(this.byLoop, text)).as("name %s", text).isEqualTo(allowsName(this.byDefault, text));
		}
		assertThat(allowsValue(this.byLoop, "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).isTrue();
		assertThat(allowsValue(this.byLoop, "line\nfeed")).isFalse();
		assertThat(allowsName(this.byLoop, "tab\tinside")).isFalse();
	}

	private static StrictHttpFirewall withHeaderValues() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(HeaderValues.NAMES);
		firewall.setAllowedHeaderValues(HeaderValues.VALUES);
		return firewall;
	}

	/** Reads the header as the filters behind the firewall do. */
	private boolean allowsValue(HttpServletRequest firewalled, String value) {
		return allows(firewalled, "X-Value", value);
	}

	private boolean allowsName(HttpServletRequest firewalled, String name) {
		return allows(firewalled, name, "v");
	}

	private boolean allows(HttpServletRequest firewalled, String name, String value) {
		this.request.removeHeader(name);
		this.request.addHeader(name, value);
		try {
			return value.equals(firewalled.getHeader(name));
		}
		catch (RequestRejectedException ex) {
			return false;
		}
		finally {
			this.request.removeHeader(name);
		}
	}

}
