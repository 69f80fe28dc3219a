/**
 * The project's own integration-test support, on top of the published kafka-stream-spring-boot-test module (which
 * holds the shared embedded broker, {@code TestRecords}, {@code TopicContent} and {@code ExactlyOnceVerifier} in
 * this same package): a broker in a child JVM that can be SIGKILLed ({@link dev.kafkastream.test.KafkaBrokerProcess}),
 * a child-JVM launcher ({@link dev.kafkastream.test.ChildJvm}), and secured brokers (SASL, TLS, Kerberos) in
 * {@link dev.kafkastream.test.secure}.
 */
package dev.kafkastream.test;
