package com.example.purchases.publisher.purchase;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * No unit price has more decimals than the purchase currency's minor unit: {@code 19.90} and
 * {@code 19.9} are BRL prices, {@code 19.999} is not. Reported on each offending
 * {@code items[i].unitPrice}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PricesFitCurrency.Validator.class)
@interface PricesFitCurrency {

	String message() default "has more decimals than the currency allows";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Validator implements ConstraintValidator<PricesFitCurrency, PlacePurchaseRequest> {

		@Override
		public boolean isValid(PlacePurchaseRequest request, ConstraintValidatorContext context) {
			OptionalInt minorUnit = Currencies.minorUnit(request.currency());
			List<PlacePurchaseRequest.Line> items = request.items();
			if (minorUnit.isEmpty() || items == null) {
				return true; // the currency or the items are reported by their own constraints
			}
			boolean valid = true;
			for (int i = 0; i < items.size(); i++) {
				BigDecimal price = (items.get(i) != null) ? items.get(i).unitPrice() : null;
				if (price != null && price.stripTrailingZeros().scale() > minorUnit.getAsInt()) {
					if (valid) {
						context.disableDefaultConstraintViolation();
						valid = false;
					}
					String message = "has more decimals than " + request.currency() + " allows (" + minorUnit.getAsInt()
							+ ")";
					context.buildConstraintViolationWithTemplate(message.replace("{", "\\{"))
						.addPropertyNode("items")
						.addPropertyNode("unitPrice")
						.inIterable()
						.atIndex(i)
						.addConstraintViolation();
				}
			}
			return valid;
		}

	}

}
