package dev.kafkastream.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.kafkastream.handler.KafkaStreamHandler;
import dev.kafkastream.runtime.PipelineSpec;
import dev.kafkastream.sink.KafkaSinkSpec;
import dev.kafkastream.source.KafkaSourceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.kafkastream.autoconfigure.ConfigurationFailures.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the security settings of kafka-stream's clients: the typed
 * {@code kafka-stream.security.*} properties, their per-source and per-sink overrides,
 * Spring Boot's Kafka settings under them, and the start-up checks.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaStreamSecurityTests {

	private static final String SECRET = "s3cr3t-Pa55";

	private static final String SCRAM_JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
			+ " username=\"app\" password=\"" + SECRET + "\";";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaStreamAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class))
		.withUserConfiguration(PassThroughConfiguration.class)
		.withPropertyValues("kafka-stream.auto-startup=false", "kafka-stream.bootstrap-servers=localhost:9092",
				"kafka-stream.sources.in.topics=in", "kafka-stream.sources.in.group-id=g",
				"kafka-stream.sources.in.on-deserialization-error=dead-letter", "kafka-stream.sinks.out.topic=out");

	@TempDir
	Path directory;

	@Test
	void scramCredentialsBecomeTheJaasConfigurationOfEveryClient() {
		this.contextRunner.withPropertyValues(scram("kafka-stream.security")).run((context) -> {
			PipelineSpec pipeline = pipeline(context);
			KafkaSourceSpec source = pipeline.source();
			KafkaSinkSpec sink = pipeline.sink();
			for (Map<String, Object> config : List.of(source.consumerConfig("c"), source.adminProperties(),
					source.deadLetterProducerConfig("d"), sink.producerConfig("p", null), sink.adminProperties())) {
				assertThat(config).containsEntry("security.protocol", "SASL_PLAINTEXT")
					.containsEntry("sasl.mechanism", "SCRAM-SHA-512")
					.containsEntry("sasl.jaas.config", SCRAM_JAAS)
					.containsEntry("bootstrap.servers", "localhost:9092");
			}
		});
	}

	@Test
	void plainCredentialsAreQuotedInTheJaasConfiguration() {
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_SSL", "kafka-stream.security.sasl.mechanism=PLAIN",
					"kafka-stream.security.sasl.username=app", "kafka-stream.security.sasl.password=a\"b\\c")
			.run((context) -> assertThat(pipeline(context).source().consumerConfig("c")).containsEntry(
					"sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
							+ " username=\"app\" password=\"a\\\"b\\\\c\";"));
	}

	@Test
	void kerberosKeytabBecomesAKrb5LoginWithTheDefaultServiceName() throws IOException {
		Path keytab = Files.writeString(this.directory.resolve("app.keytab"), "keys");
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.sasl.mechanism=GSSAPI",
					"kafka-stream.security.kerberos.principal=app@EXAMPLE.COM",
					"kafka-stream.security.kerberos.keytab=" + keytab)
			.run((context) -> assertThat(pipeline(context).source().consumerConfig("c"))
				.containsEntry("sasl.jaas.config",
						"com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true keyTab=\""
								+ keytab + "\" principal=\"app@EXAMPLE.COM\";")
				.containsEntry("sasl.kerberos.service.name", "kafka"));
	}

	@Test
	void kerberosTicketCacheNeedsNoPrincipal() {
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.kerberos.use-ticket-cache=true",
					"kafka-stream.security.kerberos.service-name=brokers")
			.run((context) -> assertThat(pipeline(context).source().consumerConfig("c"))
				.containsEntry("sasl.jaas.config",
						"com.sun.security.auth.module.Krb5LoginModule required useTicketCache=true;")
				.containsEntry("sasl.kerberos.service.name", "brokers")
				.doesNotContainKey("sasl.mechanism"));
	}

	@Test
	void kerberosTicketCacheFileIsNamedInTheLogin() throws IOException {
		Path cache = Files.writeString(this.directory.resolve("app.ccache"), "tickets");
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.kerberos.use-ticket-cache=true",
					"kafka-stream.sources.in.security.kerberos.ticket-cache=" + cache)
			.run((context) -> assertThat(pipeline(context).source().consumerConfig("c")).containsEntry(
					"sasl.jaas.config", "com.sun.security.auth.module.Krb5LoginModule required useTicketCache=true"
							+ " ticketCache=\"" + cache + "\";"));
	}

	@Test
	void failsForATicketCacheFileWithoutUsingTheTicketCache() throws IOException {
		Path cache = Files.writeString(this.directory.resolve("app.ccache"), "tickets");
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.kerberos.principal=app@EXAMPLE.COM",
					"kafka-stream.security.kerberos.ticket-cache=" + cache)
			.run((context) -> assertFailure(context, "kafka-stream.security.kerberos.use-ticket-cache",
					"A ticket cache is set ('kafka-stream.security.kerberos.ticket-cache'), but the ticket cache is"
							+ " not used",
					"Set 'kafka-stream.security.kerberos.use-ticket-cache=true', or remove the ticket cache."));
	}

	@Test
	void failsForATicketCacheFileThatDoesNotExist() {
		Path cache = this.directory.resolve("missing.ccache");
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.kerberos.use-ticket-cache=true",
					"kafka-stream.security.kerberos.ticket-cache=" + cache)
			.run((context) -> assertFailure(context, "kafka-stream.security.kerberos.ticket-cache",
					"The ticket cache '" + cache + "' does not exist", "Fix the path."));
	}

	@Test
	void oauthBearerTakesTheClientIdAndSecret() {
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_SSL",
					"kafka-stream.security.sasl.mechanism=OAUTHBEARER", "kafka-stream.security.sasl.username=client",
					"kafka-stream.security.sasl.password=" + SECRET)
			.run((context) -> assertThat(pipeline(context).source().consumerConfig("c")).containsEntry(
					"sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
							+ " clientId=\"client\" clientSecret=\"" + SECRET + "\";"));
	}

	@Test
	void sourcesAndSinksOverrideTheCredentialsAsAWhole() {
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.sasl.mechanism=PLAIN",
					"kafka-stream.security.sasl.jaas-config=org.example.Global required;",
					"kafka-stream.sources.in.security.sasl.username=reader",
					"kafka-stream.sources.in.security.sasl.password=" + SECRET,
					"kafka-stream.sinks.out.security.sasl.mechanism=SCRAM-SHA-256",
					"kafka-stream.sinks.out.security.sasl.username=writer",
					"kafka-stream.sinks.out.security.sasl.password=" + SECRET)
			.run((context) -> {
				PipelineSpec pipeline = pipeline(context);
				assertThat(pipeline.source().consumerConfig("c"))
					.containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
							+ " required username=\"reader\" password=\"" + SECRET + "\";")
					.containsEntry("sasl.mechanism", "PLAIN");
				assertThat(pipeline.sink().producerConfig("p", null))
					.containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
							+ " required username=\"writer\" password=\"" + SECRET + "\";")
					.containsEntry("sasl.mechanism", "SCRAM-SHA-256");
			});
	}

	@Test
	void springKafkaSettingsAreTheLowestLayer() {
		this.contextRunner
			.withPropertyValues("spring.kafka.security.protocol=SASL_SSL",
					"spring.kafka.properties.sasl.mechanism=PLAIN",
					"spring.kafka.properties.sasl.jaas.config=org.example.Boot required;",
					"spring.kafka.consumer.max-poll-records=7", "spring.kafka.consumer.isolation-level=read-uncommitted",
					"spring.kafka.producer.compression-type=zstd", "spring.kafka.producer.acks=0",
					"kafka-stream.security.sasl.username=app", "kafka-stream.security.sasl.password=" + SECRET)
			.run((context) -> {
				PipelineSpec pipeline = pipeline(context);
				assertThat(pipeline.source().consumerProperties()).containsEntry("security.protocol", "SASL_SSL")
					.containsEntry("sasl.mechanism", "PLAIN")
					.containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
							+ " required username=\"app\" password=\"" + SECRET + "\";")
					.containsEntry("max.poll.records", 7)
					.containsEntry("isolation.level", "read_committed")
					.doesNotContainKeys("key.deserializer", "compression.type");
				assertThat(pipeline.sink().producerConfig("p", null)).containsEntry("compression.type", "zstd")
					.containsEntry("acks", "all")
					.doesNotContainKey("max.poll.records");
			});
	}

	@Test
	void kafkaStreamPropertiesOverrideTypedSettingsOfTheirLevel() {
		this.contextRunner
			.withPropertyValues(scram("kafka-stream.security"))
			.withPropertyValues("kafka-stream.properties.sasl.mechanism=PLAIN",
					"kafka-stream.sources.in.properties.security.protocol=SASL_SSL")
			.run((context) -> assertThat(pipeline(context).source().consumerConfig("c"))
				.containsEntry("sasl.mechanism", "PLAIN")
				.containsEntry("security.protocol", "SASL_SSL"));
	}

	@Test
	void sslBundleIsUsedThroughSpringBootsEngineFactory() {
		SslBundle bundle = SslBundle.of(SslStoreBundle.NONE);
		this.contextRunner.withBean(SslBundles.class, () -> new DefaultSslBundleRegistry("kafka", bundle))
			.withPropertyValues("kafka-stream.security.protocol=SSL", "kafka-stream.sinks.out.security.ssl.bundle=kafka")
			.run((context) -> {
				PipelineSpec pipeline = pipeline(context);
				assertThat(pipeline.sink().producerConfig("p", null))
					.containsEntry("ssl.engine.factory.class", SslBundleSslEngineFactory.class)
					.containsEntry(SslBundle.class.getName(), bundle);
				assertThat(pipeline.sink().adminProperties()).containsEntry(SslBundle.class.getName(), bundle);
				assertThat(pipeline.source().consumerConfig("c")).doesNotContainKey("ssl.engine.factory.class");
			});
	}

	@Test
	void serviceConnectionWinsOverConfiguredServersAndGivesItsProtocol() {
		KafkaConnectionDetails details = new KafkaConnectionDetails() {

			@Override
			public List<String> getBootstrapServers() {
				return List.of("service-connection:9094");
			}

			@Override
			public String getSecurityProtocol() {
				return "SASL_PLAINTEXT";
			}

		};
		this.contextRunner.withBean(KafkaConnectionDetails.class, () -> details)
			.withPropertyValues("spring.kafka.security.protocol=SSL")
			.run((context) -> assertThat(pipeline(context).source().consumerConfig("c"))
				.containsEntry("bootstrap.servers", "service-connection:9094")
				.containsEntry("security.protocol", "SASL_PLAINTEXT"));
	}

	@Test
	void failsForGssapiWithAKeytabButNoPrincipal() throws IOException {
		Path keytab = Files.writeString(this.directory.resolve("app.keytab"), "keys");
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.sasl.mechanism=GSSAPI", "kafka-stream.security.kerberos.keytab=" + keytab)
			.run((context) -> assertFailure(context, "kafka-stream.security.kerberos.principal",
					"The SASL mechanism is GSSAPI but no Kerberos principal is set",
					"Set the principal the keytab holds the keys of, such as app@EXAMPLE.COM."));
	}

	@Test
	void failsForGssapiWithAKeytabThatDoesNotExist() {
		Path keytab = this.directory.resolve("missing.keytab");
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.sources.in.security.kerberos.principal=app@EXAMPLE.COM",
					"kafka-stream.sources.in.security.kerberos.keytab=" + keytab)
			.run((context) -> assertFailure(context, "kafka-stream.sources.in.security.kerberos.keytab",
					"The keytab '" + keytab + "' does not exist", "Fix the path."));
	}

	@Test
	void failsForAKeytabThatCannotBeRead() {
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.kerberos.principal=app@EXAMPLE.COM",
					"kafka-stream.security.kerberos.keytab=" + this.directory)
			.run((context) -> assertFailure(context, "kafka-stream.security.kerberos.keytab",
					"The keytab '" + this.directory + "' cannot be read",
					"Make it a file this process can read."));
	}

	@Test
	void failsForGssapiWithoutALogin() {
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.sasl.mechanism=GSSAPI")
			.run((context) -> assertFailure(context, "kafka-stream.security.kerberos.principal",
					"The SASL mechanism is GSSAPI but no Kerberos login is configured"));
	}

	@Test
	void failsForASaslMechanismWithoutASaslProtocol() {
		this.contextRunner
			.withPropertyValues("spring.kafka.security.protocol=SSL", "kafka-stream.security.sasl.mechanism=PLAIN",
					"kafka-stream.security.sasl.username=app", "kafka-stream.security.sasl.password=" + SECRET)
			.run((context) -> assertFailure(context, "kafka-stream.security.protocol",
					"SASL is configured ('kafka-stream.security.sasl.mechanism'), but the security protocol is SSL",
					"Set it to SASL_PLAINTEXT or SASL_SSL, or remove the SASL settings."));
	}

	@Test
	void failsForPlainWithoutCredentials() {
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.sasl.mechanism=PLAIN")
			.run((context) -> assertFailure(context, "kafka-stream.security.sasl.username",
					"The SASL mechanism is PLAIN but no user name is set"));
	}

	@Test
	void failsForScramWithoutPassword() {
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.sasl.mechanism=SCRAM-SHA-512",
					"kafka-stream.sinks.out.security.sasl.username=app")
			.run((context) -> assertFailure(context, "kafka-stream.sinks.out.security.sasl.password",
					"The SASL mechanism is SCRAM-SHA-512 but no password is set for the user name"));
	}

	@Test
	void failsForBothJaasConfigAndTypedCredentials() {
		this.contextRunner
			.withPropertyValues(scram("kafka-stream.security"))
			.withPropertyValues("kafka-stream.security.sasl.jaas-config=" + SCRAM_JAAS)
			.run((context) -> {
				assertFailure(context, "kafka-stream.security.sasl.jaas-config",
						"Both 'kafka-stream.security.sasl.jaas-config' and the user name and password of"
								+ " 'kafka-stream.security.sasl' are set");
				FailureAnalysis analysis = new KafkaStreamConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(SECRET);
			});
	}

	@Test
	void failsForAnSslBundleThatDoesNotExist() {
		this.contextRunner.withBean(SslBundles.class, () -> new DefaultSslBundleRegistry())
			.withPropertyValues("kafka-stream.security.protocol=SSL", "kafka-stream.security.ssl.bundle=nope")
			.run((context) -> assertFailure(context, "kafka-stream.security.ssl.bundle",
					"There is no SSL bundle 'nope'"));
	}

	@Test
	void failsForAKrb5ConfigurationThatDoesNotExist() throws IOException {
		Path keytab = Files.writeString(this.directory.resolve("app.keytab"), "keys");
		Path krb5 = this.directory.resolve("krb5.conf");
		this.contextRunner
			.withPropertyValues("kafka-stream.security.protocol=SASL_PLAINTEXT",
					"kafka-stream.security.kerberos.principal=app@EXAMPLE.COM",
					"kafka-stream.security.kerberos.keytab=" + keytab,
					"kafka-stream.security.kerberos.krb5-config=" + krb5)
			.run((context) -> assertFailure(context, "kafka-stream.security.kerberos.krb5-config",
					"The krb5 configuration '" + krb5 + "' does not exist"));
	}

	@Test
	void startupLogSaysWhereEachSecuritySettingCameFromButNotItsValue(CapturedOutput output) {
		this.contextRunner.withPropertyValues(scram("kafka-stream.security"))
			.withPropertyValues("spring.kafka.properties.ssl.truststore.password=" + SECRET,
					"kafka-stream.sinks.out.security.sasl.username=writer",
					"kafka-stream.sinks.out.security.sasl.password=" + SECRET)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("Security of the consumers of kafka-stream.sources.in: "
						+ "sasl.jaas.config, sasl.mechanism, security.protocol from kafka-stream.security; "
						+ "ssl.truststore.password from spring.kafka.*")
					.contains("Security of the producers of kafka-stream.sinks.out: "
							+ "sasl.mechanism, security.protocol from kafka-stream.security; "
							+ "sasl.jaas.config from kafka-stream.sinks.out.security; "
							+ "ssl.truststore.password from spring.kafka.*")
					.doesNotContain(SECRET);
				KafkaStreamProperties properties = context.getBean(KafkaStreamProperties.class);
				assertThat(properties.getSecurity()).asString().doesNotContain(SECRET);
				assertThat(properties.getSecurity().getSasl()).asString().doesNotContain(SECRET);
				assertThat(pipeline(context).source()).asString().doesNotContain(SECRET);
				assertThat(pipeline(context).sink()).asString().doesNotContain(SECRET);
			});
	}

	private static String[] scram(String prefix) {
		return new String[] { prefix + ".protocol=SASL_PLAINTEXT", prefix + ".sasl.mechanism=SCRAM-SHA-512",
				prefix + ".sasl.username=app", prefix + ".sasl.password=" + SECRET };
	}

	private static PipelineSpec pipeline(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(KafkaStreamLifecycle.class).getRuntime().pipelines().get(0).spec();
	}

	static class PassThrough {

		@KafkaStreamHandler(source = "in", sink = "out")
		String handle(String value) {
			return value;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PassThroughConfiguration {

		@Bean
		PassThrough passThrough() {
			return new PassThrough();
		}

	}

}
