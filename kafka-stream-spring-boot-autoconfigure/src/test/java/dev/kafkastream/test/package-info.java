/**
 * Reusable integration-test support, published in this module's test-jar: Kafka brokers without Docker
 * ({@link dev.kafkastream.test.EmbeddedKafkaBrokerSupport} in-JVM, {@link dev.kafkastream.test.KafkaBrokerProcess}
 * in a child JVM that can be SIGKILLed), a child-JVM launcher ({@link dev.kafkastream.test.ChildJvm}), and an
 * exactly-once checker ({@link dev.kafkastream.test.ExactlyOnceVerifier}) for records that follow the
 * {@link dev.kafkastream.test.TestRecords} convention. Secured brokers (SASL, TLS, Kerberos) are in
 * {@link dev.kafkastream.test.secure}.
 */
package dev.kafkastream.test;
