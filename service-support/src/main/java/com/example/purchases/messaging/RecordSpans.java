package com.example.purchases.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * Continues the trace a record carries ({@code traceparent}, W3C Trace Context) while this
 * service works on that record, so that its log lines carry the trace and span ids of the
 * request that caused it. Spring Kafka observes record listeners only, and a batch holds the
 * records of many traces: a batch listener takes each record's trace in hand itself.
 * <p>
 * Without a tracer on the classpath the work simply runs.
 */
public class RecordSpans {

	/** The W3C Trace Context header. */
	public static final String TRACEPARENT = "traceparent";

	private static final Pattern W3C = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

	// Looked up once: a lookup in the bean factory on every request or record cost more than
	// the rest of what this class does.
	private final SingletonSupplier<Tracer> tracer;

	private final SingletonSupplier<Propagator> propagator;

	public RecordSpans(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this.tracer = SingletonSupplier.of(tracer::getIfAvailable);
		this.propagator = SingletonSupplier.of(propagator::getIfAvailable);
	}

	/**
	 * Runs the work in a new span continuing a trace.
	 * @param traceparent the trace to continue; {@code null} continues the current one, or
	 * starts one if there is none
	 * @param name the span name
	 * @param work the work
	 */
	public void inTrace(String traceparent, String name, Runnable work) {
		inTrace(traceparent, name, () -> {
			work.run();
			return null;
		});
	}

	/**
	 * Runs the work in a new span continuing a trace, and returns what it returns.
	 */
	public <R> R inTrace(String traceparent, String name, Supplier<R> work) {
		Tracer tracer = this.tracer.get();
		Propagator propagator = this.propagator.get();
		if (tracer == null || propagator == null) {
			return work.get();
		}
		Span span = (traceparent != null && W3C.matcher(traceparent).matches())
				? propagator.extract(Map.of(TRACEPARENT, traceparent), Map::get).name(name).start()
				: tracer.nextSpan().name(name).start();
		try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
			return work.get();
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	/**
	 * @return the {@code traceparent} of the current span, to hand the trace over to work done
	 * later or elsewhere; {@code null} when there is none
	 */
	public String currentTraceparent() {
		Tracer tracer = this.tracer.get();
		Propagator propagator = this.propagator.get();
		Span span = (tracer != null) ? tracer.currentSpan() : null;
		if (span == null || propagator == null) {
			return null;
		}
		Map<String, String> carrier = new HashMap<>();
		propagator.inject(span.context(), carrier, Map::put);
		return carrier.get(TRACEPARENT);
	}

	/**
	 * @return the trace id of a W3C {@code traceparent}, or {@code null}
	 */
	public static String traceId(String traceparent) {
		if (traceparent == null) {
			return null;
		}
		var matcher = W3C.matcher(traceparent);
		return matcher.matches() ? matcher.group(1) : null;
	}

}
