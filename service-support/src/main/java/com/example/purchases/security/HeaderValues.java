package com.example.purchases.security;

import java.util.function.Predicate;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * What {@link StrictHttpFirewall} lets through by default in header names (each code point
 * assigned and not a control character) and header values (the same, tab allowed), checked by a
 * loop instead of its regular expressions. The firewall checks every header a request reads,
 * including the bearer token of about a kilobyte, and the gateway reads them all to forward them;
 * the regular expression over the token alone cost about 4 % of the publisher's CPU per request at
 * 128 connections (docs/benchmarks.md). Same answer for every code point
 * ({@code HeaderValuesTests}).
 */
final class HeaderValues implements Predicate<String> {

	static final HeaderValues NAMES = new HeaderValues(false);

	static final HeaderValues VALUES = new HeaderValues(true);

	private final boolean tab;

	private HeaderValues(boolean tab) {
		this.tab = tab;
	}

	@Override
	public boolean test(String value) {
		int i = 0;
		while (i < value.length()) {
			char c = value.charAt(i);
			if (c >= ' ' && c < 0x7F) {
				i++;
				continue;
			}
			int codePoint = value.codePointAt(i);
			int type = Character.getType(codePoint);
			if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(this.tab && codePoint == '\t'))) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

}
