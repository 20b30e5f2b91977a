package com.example.purchases.publisher.purchase;

import java.util.Currency;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * ISO 4217 as the JDK knows it.
 */
final class Currencies {

	private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

	private Currencies() {
	}

	/**
	 * The number of decimals of a currency's minor unit: 2 for BRL, 0 for JPY, 3 for KWD.
	 * @param code an ISO 4217 alphabetic code, upper case
	 * @return the minor unit, or empty when the code is not an upper-case ISO 4217 code of a
	 * currency (codes such as XAU or XXX have no minor unit and cannot price a purchase)
	 */
	static OptionalInt minorUnit(String code) {
		if (code == null || !CODE.matcher(code).matches()) {
			return OptionalInt.empty();
		}
		try {
			int digits = Currency.getInstance(code).getDefaultFractionDigits();
			return (digits >= 0) ? OptionalInt.of(digits) : OptionalInt.empty();
		}
		catch (IllegalArgumentException ex) {
			return OptionalInt.empty();
		}
	}

}
