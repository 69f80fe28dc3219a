package dev.kafkastream.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against the JVM-wide embedded KRaft broker ({@link EmbeddedKafkaBrokerSupport#shared()})
 * and creates the topics it needs. The broker starts on first use and serves every test of the JVM, so tests should
 * produce to and read from their own topics.
 *
 * <p>On a {@code @SpringBootTest} (or any Spring TestContext test) the application is pointed at the broker:
 * {@code kafka-stream.bootstrap-servers} and {@code spring.kafka.bootstrap-servers} are set to its address, ahead of
 * every other property source, and the broker is a bean of type {@link KafkaTestBroker}. Before the context
 * refreshes, the topics named by the annotation and, unless {@link #createConfiguredTopics()} is {@code false}, the
 * topics of the application's configuration are created: {@code kafka-stream.sources.*.topics}, the topics of
 * {@code kafka-stream.sources.*.partitions}, the dead-letter topics of sources whose {@code on-handler-error} or
 * {@code on-deserialization-error} is {@code dead-letter}, and {@code kafka-stream.sinks.*.topic}. Topics that exist
 * already are left as they are; the broker never creates topics by itself ({@code auto.create.topics.enable=false}).
 *
 * <p>On a plain JUnit 5 test the annotation creates {@link #topics()} before all tests and resolves test method and
 * constructor parameters of type {@link KafkaTestBroker} or {@link EmbeddedKafkaBrokerSupport}:
 * <pre>{@code
 * @EmbeddedKafkaStream(topics = "orders")
 * class OrderProducerTests {
 *
 *     @Test
 *     void sendsOrders(KafkaTestBroker kafka) {
 *         ... kafka.bootstrapServers() ...
 *     }
 *
 * }
 * }</pre>
 *
 * @see ExactlyOnceVerifier
 * @see TestRecords
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedKafkaStreamExtension.class)
public @interface EmbeddedKafkaStream {

	/**
	 * Topics to create before the tests run (and, on a Spring test, before the application context refreshes).
	 * @return the topic names
	 */
	String[] topics() default {};

	/**
	 * Number of partitions of every topic this annotation creates.
	 * @return the partition count
	 */
	int partitions() default 1;

	/**
	 * Whether a Spring test also creates the topics that the application's {@code kafka-stream.sources.*} and
	 * {@code kafka-stream.sinks.*} properties name.
	 * @return whether to create the configured topics
	 */
	boolean createConfiguredTopics() default true;

}
