package com.example.purchases.notification.confirmation;

import java.util.List;

/**
 * A page in the JSON shape of Spring Data's {@code PagedModel}, as the history API pages.
 */
record PageOf<T>(List<T> content, Metadata page) {

	static <T> PageOf<T> of(List<T> content, int number, int size, long totalElements) {
		return new PageOf<>(content, new Metadata(size, number, totalElements, (totalElements + size - 1) / size));
	}

	record Metadata(int size, int number, long totalElements, long totalPages) {
	}

}
