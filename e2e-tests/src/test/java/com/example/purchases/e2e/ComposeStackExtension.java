package com.example.purchases.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The compose stack of the end-to-end classes, started once for every class that names the same
 * compose files ({@link Stack}) and torn down after the last of them, volumes included; its
 * containers' logs are printed first when a test or a start failed, or when a container was
 * restarted or killed for memory. A class gets it as a {@link SystemUnderTest} parameter of its
 * {@code @BeforeAll} method. Without Docker or a compose command, the classes are skipped, and
 * reported as skipped.
 */
final class ComposeStackExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(ComposeStackExtension.class);

	private static final String CURRENT = "current";

	/** The compose files a test class runs against, in the order compose merges them. */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@ExtendWith(ComposeStackExtension.class)
	@interface Stack {

		String[] value() default "docker-compose.yml";

	}

	@Override
	public void beforeAll(ExtensionContext context) {
		Running running = running(context);
		Assumptions.assumeTrue(running.system != null, "No Docker engine or no compose command on this machine");
		running.failIfStartFailed();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == SystemUnderTest.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return running(context).system;
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		running(context).failed = true;
	}

	private static Running running(ExtensionContext context) {
		List<String> files = List.of(context.getRequiredTestClass().getAnnotation(Stack.class).value());
		ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
		// One stack at a time on this machine: the classes of a stack run one after the other
		// (junit-platform.properties), so a class of another stack means this one is done.
		Running other = store.get(CURRENT, Running.class);
		if (other != null && !other.files.equals(files)) {
			store.remove(CURRENT);
			store.remove(other.files);
			other.close();
		}
		Running running = store.computeIfAbsent(files, (key) -> Running.start(files), Running.class);
		store.put(CURRENT, running);
		return running;
	}

	/** A started stack; JUnit closes it when the whole run ends. */
	static final class Running implements AutoCloseable {

		final List<String> files;

		final SystemUnderTest system;

		volatile boolean failed;

		private final RuntimeException startFailure;

		private boolean closed;

		private Running(List<String> files, SystemUnderTest system, RuntimeException startFailure) {
			this.files = files;
			this.system = system;
			this.startFailure = startFailure;
			this.failed = startFailure != null;
		}

		static Running start(List<String> files) {
			ComposeStack stack = ComposeStack.ofThisMachine(ComposeStack.projectRoot(), files.toArray(String[]::new));
			if (stack == null) {
				return new Running(files, null, null);
			}
			stack.requireBuiltJars();
			stack.build();
			try {
				stack.up(Map.of());
				return new Running(files, new SystemUnderTest(stack), null);
			}
			catch (RuntimeException ex) {
				return new Running(files, new SystemUnderTest(stack), ex);
			}
		}

		void failIfStartFailed() {
			if (this.startFailure != null) {
				throw this.startFailure;
			}
		}

		@Override
		public synchronized void close() {
			if (this.system != null && !this.closed) {
				this.closed = true;
				this.system.stack.tearDown(this.failed);
			}
		}

	}

}
