/**
 * Test support for applications of the kafka-stream starter, without Docker:
 * {@link dev.kafkastream.test.EmbeddedKafkaStream} runs a {@code @SpringBootTest} or JUnit 5 test against a
 * JVM-wide embedded KRaft broker ({@link dev.kafkastream.test.EmbeddedKafkaBrokerSupport}) and creates its topics;
 * {@link dev.kafkastream.test.TestRecords} produces numbered input records; {@link dev.kafkastream.test.TopicContent}
 * reads a topic as a {@code read_committed} consumer sees it; and {@link dev.kafkastream.test.ExactlyOnceVerifier}
 * asserts that a pipeline's output holds every input exactly once, in per-key order, with no open transaction;
 * {@link dev.kafkastream.test.TcpProxy} puts network faults (partition, latency, resets) between a client and a broker.
 */
package dev.kafkastream.test;
