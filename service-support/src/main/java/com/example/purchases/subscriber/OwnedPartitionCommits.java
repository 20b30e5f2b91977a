package com.example.purchases.subscriber;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * Consumers that commit offsets only for the partitions they own at the time.
 * <p>
 * The container retries a failed poll with the records it read, polling meanwhile to stay in
 * the group, and commits the whole poll's offsets once an attempt went through. When a
 * rebalance gave some of its partitions to another consumer between two attempts, that commit
 * went over what the new owner had committed since: the group showed records waiting that
 * nobody would read (the new owner was past them) until more arrived, and a restart read them
 * again. Kafka's classic group protocol does not check that a member owns what it commits.
 * During a rebalance's revocation the partitions are still owned, so the container's commit of
 * what it finished then goes through.
 */
final class OwnedPartitionCommits implements InvocationHandler {

	private final Consumer<?, ?> consumer;

	private OwnedPartitionCommits(Consumer<?, ?> consumer) {
		this.consumer = consumer;
	}

	/** Makes every consumer of the factory commit for its own partitions only. */
	static void install(DefaultKafkaConsumerFactory<?, ?> factory) {
		addTo(factory);
	}

	private static <K, V> void addTo(DefaultKafkaConsumerFactory<K, V> factory) {
		factory.addPostProcessor(OwnedPartitionCommits::wrap);
	}

	@SuppressWarnings("unchecked")
	static <K, V> Consumer<K, V> wrap(Consumer<K, V> consumer) {
		return (Consumer<K, V>) Proxy.newProxyInstance(OwnedPartitionCommits.class.getClassLoader(),
				new Class<?>[] { Consumer.class }, new OwnedPartitionCommits(consumer));
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		Object[] actual = args;
		// commitSync(offsets), commitSync(offsets, timeout), commitAsync(offsets, callback)
		if (method.getName().startsWith("commit") && args != null && args.length > 0 && args[0] instanceof Map<?, ?> offsets) {
			actual = args.clone();
			actual[0] = owned(offsets, this.consumer.assignment());
		}
		try {
			return method.invoke(this.consumer, actual);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private static Map<?, ?> owned(Map<?, ?> offsets, Set<TopicPartition> assignment) {
		if (assignment.containsAll(offsets.keySet())) {
			return offsets;
		}
		Map<Object, Object> owned = new LinkedHashMap<>();
		offsets.forEach((partition, offset) -> {
			if (assignment.contains(partition)) {
				owned.put(partition, offset);
			}
		});
		return owned;
	}

}
