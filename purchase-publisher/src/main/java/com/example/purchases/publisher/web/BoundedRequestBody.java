package com.example.purchases.publisher.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Reads JSON request bodies of at most 64 KiB (a purchase of 100 lines is about 8 KiB):
 * refused at once when {@code Content-Length} says more, otherwise as soon as the limit is
 * passed while reading a chunked body, so an oversized body is never buffered whole.
 * <p>
 * The bytes read are kept with the request, so that a body that cannot be bound can be
 * examined once more to report all of its problems, not just the first.
 */
@ControllerAdvice
class BoundedRequestBody extends RequestBodyAdviceAdapter {

	static final int LIMIT_BYTES = 64 * 1024;

	private static final String ATTRIBUTE = BoundedRequestBody.class.getName();

	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		if (inputMessage.getHeaders().getContentLength() > LIMIT_BYTES) {
			throw new RequestBodyTooLargeException(LIMIT_BYTES);
		}
		byte[] body = readAtMostLimit(inputMessage.getBody());
		RequestContextHolder.currentRequestAttributes()
			.setAttribute(ATTRIBUTE, new ReadBody(body, targetType), RequestAttributes.SCOPE_REQUEST);
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return new ByteArrayInputStream(body);
			}

			@Override
			public HttpHeaders getHeaders() {
				return inputMessage.getHeaders();
			}

		};
	}

	/**
	 * The body read for the current request, if one was.
	 */
	static ReadBody current(RequestAttributes request) {
		return (ReadBody) request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
	}

	private static byte[] readAtMostLimit(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
		byte[] buffer = new byte[8192];
		for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
			if (out.size() + n > LIMIT_BYTES) {
				throw new RequestBodyTooLargeException(LIMIT_BYTES);
			}
			out.write(buffer, 0, n);
		}
		return out.toByteArray();
	}

	/**
	 * A request body as read, and the type it was to be bound to.
	 */
	record ReadBody(byte[] bytes, Type targetType) {
	}

}
