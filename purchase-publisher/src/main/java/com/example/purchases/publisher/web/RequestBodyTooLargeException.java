package com.example.purchases.publisher.web;

/**
 * A request body over the limit; answered 413 without reading the rest.
 */
class RequestBodyTooLargeException extends RuntimeException {

	private final long limitBytes;

	RequestBodyTooLargeException(long limitBytes) {
		super("Request body larger than " + limitBytes + " bytes");
		this.limitBytes = limitBytes;
	}

	long limitBytes() {
		return this.limitBytes;
	}

}
