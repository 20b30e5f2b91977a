package com.example.purchases.gateway.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies of at most 64 KiB, as the services': refused
 * with a {@code 413} problem when {@code Content-Length} says more, and cut off as soon as the
 * limit is passed when the body is chunked, so that an oversized body is never passed on whole.
 */
@Component
class BoundedRequestBodies extends OncePerRequestFilter {

	/** As the services: a purchase of 100 lines is about 8 KiB. */
	static final int LIMIT_KIB = 64;

	private final long limit = LIMIT_KIB * 1024L;

	private final JsonMapper json;

	BoundedRequestBodies(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			tooLarge(response);
			return;
		}
		byte[] body;
		try {
			body = readAtMostLimit(request.getInputStream());
		}
		catch (BodyTooLarge ex) {
			tooLarge(response);
			return;
		}
		chain.doFilter(new Buffered(request, body), response);
	}

	private byte[] readAtMostLimit(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
		byte[] buffer = new byte[8192];
		for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
			if (out.size() + n > this.limit) {
				throw new BodyTooLarge();
			}
			out.write(buffer, 0, n);
		}
		return out.toByteArray();
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than " + LIMIT_KIB + " KiB.");
		problem.setTitle("Request body too large");
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(this.json.writeValueAsBytes(problem));
	}


	private static final class BodyTooLarge extends IOException {

		BodyTooLarge() {
			super("Request body over the limit");
		}

	}

	/**
	 * The request with its body read: each reader (the proxy, and the proxy again when a retry
	 * sends the request to another replica) reads it from the start.
	 */
	private static final class Buffered extends HttpServletRequestWrapper {

		private final byte[] body;

		Buffered(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body is read already");
				}

			};
		}

	}

}
