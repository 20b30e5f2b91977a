package com.example.purchases.history.customer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Amounts as the contract writes them: in the currency's minor-unit scale.
 */
final class Money {

	private Money() {
	}

	/**
	 * @param amount an amount read from the database (stored with four decimals)
	 * @param currency its ISO 4217 code
	 * @return the same amount with the currency's scale ({@code 39.80} BRL, {@code 1500} JPY)
	 */
	static BigDecimal inCurrencyScale(BigDecimal amount, String currency) {
		int digits;
		try {
			digits = Currency.getInstance(currency).getDefaultFractionDigits();
		}
		catch (IllegalArgumentException ex) {
			digits = -1;
		}
		BigDecimal exact = amount.stripTrailingZeros();
		// Never rounds: amounts of the contract never have more decimals than the minor unit.
		return (digits >= 0 && exact.scale() <= digits) ? exact.setScale(digits, RoundingMode.UNNECESSARY)
				: exact.setScale(Math.max(exact.scale(), 0), RoundingMode.UNNECESSARY);
	}

}
