package dev.kafkastream.autoconfigure;

import dev.kafkastream.core.KafkaStreamException;

/**
 * The kafka-stream configuration is wrong; {@link #property()} names the property to fix.
 */
public class KafkaStreamConfigurationException extends KafkaStreamException {

	private final String property;

	private final String action;

	public KafkaStreamConfigurationException(String property, String problem, String action) {
		super(problem + " (property '" + property + "'). " + action);
		this.property = property;
		this.action = action;
	}

	/**
	 * The property to fix.
	 * @return the property name
	 */
	public String property() {
		return this.property;
	}

	/**
	 * What to do about it.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

}
