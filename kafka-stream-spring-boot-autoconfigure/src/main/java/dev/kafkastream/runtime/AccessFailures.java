package dev.kafkastream.runtime;

import javax.net.ssl.SSLException;
import javax.security.auth.login.LoginException;

import dev.kafkastream.core.NonRetryableException;
import dev.kafkastream.sink.KafkaSinkSpec;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.jspecify.annotations.Nullable;

/**
 * Tells the failures that mean the brokers refuse a pipeline's clients, which retrying
 * cannot fix, from network blips: an {@link AuthenticationException} (wrong password,
 * unknown user, expired ticket, a mechanism the broker does not enable, an untrusted
 * certificate) or an {@link AuthorizationException} (a missing ACL) anywhere in the cause
 * chain. The failure names the source or sink whose client was refused. A client that
 * cannot be created because its login failed is explained too.
 */
final class AccessFailures {

	private AccessFailures() {
	}

	/**
	 * The failure to fail the pipeline with, if the given one means the brokers refuse
	 * its clients.
	 * @param pipeline the pipeline
	 * @param failure what went wrong
	 * @return the failure, or {@code null} when retrying may help
	 */
	static @Nullable NonRetryableException check(PipelineSpec pipeline, Throwable failure) {
		AuthenticationException authentication = Causes.find(failure, AuthenticationException.class);
		if (authentication != null) {
			return refused(owner(pipeline, authentication, failure), "could not authenticate to Kafka", authentication,
					failure);
		}
		AuthorizationException authorization = Causes.find(failure, AuthorizationException.class);
		if (authorization != null) {
			return refused(owner(pipeline, authorization, failure), "is not authorized by Kafka", authorization, failure);
		}
		return null;
	}

	/**
	 * The failure to fail the pipeline with when a worker cannot create its clients
	 * because their login failed (a Kerberos ticket that expired, a keytab without the
	 * principal's keys), which Kafka reports only as a client it failed to construct.
	 * @param pipeline the pipeline
	 * @param failure what went wrong
	 * @return the failure, or {@code null} when it is not a failed login
	 */
	static @Nullable NonRetryableException loginFailure(PipelineSpec pipeline, Throwable failure) {
		LoginException login = Causes.find(failure, LoginException.class);
		if (login == null) {
			return null;
		}
		Owner owner = clientOwner(pipeline, failure);
		return new NonRetryableException(owner.description() + " could not log in: LoginException: "
				+ login.getMessage() + ". Check the security settings (" + owner.security()
				+ ") and the login's credentials, such as the Kerberos keytab or ticket cache.", failure);
	}

	private static NonRetryableException refused(Owner owner, String problem, RuntimeException refusal,
			Throwable failure) {
		return new NonRetryableException(owner.description() + " " + problem + ": " + describe(refusal)
				+ ". Retrying cannot fix this: check the security settings (" + owner.security()
				+ ") and the broker's users and ACLs.", failure);
	}

	/**
	 * The refusal's type and message. A failed TLS handshake is described by the TLS
	 * failure it wraps (such as the alert the broker sent): Kafka's own message only says
	 * at which step of the handshake it failed, which depends on timing under TLS 1.3.
	 */
	private static String describe(RuntimeException refusal) {
		String type = refusal.getClass().getSimpleName() + ": ";
		SSLException tls = (refusal instanceof SslAuthenticationException)
				? Causes.find(refusal.getCause(), SSLException.class) : null;
		return (tls != null) ? type + tls.getClass().getSimpleName() + ": " + tls.getMessage()
				: type + refusal.getMessage();
	}

	/**
	 * The source or sink whose client was refused: the one whose topic or group the
	 * refusal is about, or the sink when its producer was refused.
	 */
	private static Owner owner(PipelineSpec pipeline, RuntimeException refusal, Throwable failure) {
		Owner sourceOwner = sourceOwner(pipeline);
		KafkaSinkSpec sink = pipeline.producerSink();
		Owner sinkOwner = (sink != null) ? sinkOwner(sink) : sourceOwner;
		if (refusal instanceof GroupAuthorizationException) {
			return sourceOwner;
		}
		if (refusal instanceof TopicAuthorizationException topics) {
			for (KafkaSinkSpec each : pipeline.sinks()) {
				if (topics.unauthorizedTopics().contains(each.topic())) {
					return sinkOwner(each);
				}
			}
			return sourceOwner;
		}
		if (refusal instanceof AuthorizationException) {
			// transactional id and idempotent write (cluster) permissions are the producer's
			return sinkOwner;
		}
		return clientOwner(pipeline, failure);
	}

	/**
	 * The sink when the failure is its producer's, the source otherwise.
	 */
	static Owner clientOwner(PipelineSpec pipeline, Throwable failure) {
		KafkaSinkSpec sink = pipeline.producerSink();
		// a producer refused at its first use fails with a SinkWriteException, as a refused send does
		return (sink != null && Causes.find(failure, SinkWriteException.class) != null) ? sinkOwner(sink)
				: sourceOwner(pipeline);
	}

	static Owner sourceOwner(PipelineSpec pipeline) {
		String source = pipeline.source().name();
		return new Owner("Source '" + source + "'", "kafka-stream.sources." + source);
	}

	static Owner sinkOwner(KafkaSinkSpec sink) {
		return new Owner("Sink '" + sink.name() + "'", "kafka-stream.sinks." + sink.name());
	}

	/**
	 * A source or sink whose client failed.
	 * @param description how a message names it, such as {@code Sink 'out'}
	 * @param prefix the prefix of its properties, such as {@code kafka-stream.sinks.out}
	 */
	record Owner(String description, String prefix) {

		String security() {
			return "'" + this.prefix + ".security', 'kafka-stream.security'";
		}

	}

}
