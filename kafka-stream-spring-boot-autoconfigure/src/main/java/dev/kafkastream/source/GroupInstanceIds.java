package dev.kafkastream.source;

import java.util.regex.Pattern;

/**
 * Builds the {@code group.instance.id} of the consumers of static members:
 * {@code <instance-id>-<source>-<worker>}. The id of a worker is the same at every start
 * of the same instance, so a restarted worker takes the place of its crashed incarnation
 * in the consumer group at once, instead of waiting for the group to evict it.
 */
public final class GroupInstanceIds {

	/** What Kafka accepts in a group instance id: the characters of a topic name. */
	private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

	/** The longest group instance id Kafka accepts. */
	private static final int MAX_LENGTH = 249;

	private GroupInstanceIds() {
	}

	/**
	 * The group instance id of one worker.
	 * @param instanceId the id of the application instance
	 * @param source the name of the source the worker reads
	 * @param worker the index of the worker in its source
	 * @return the group instance id
	 */
	public static String of(String instanceId, String source, int worker) {
		return instanceId + "-" + source + "-" + worker;
	}

	/**
	 * The regular expression of the group instance ids of every worker of a source of one
	 * instance, whatever the concurrency.
	 * @param instanceId the id of the application instance
	 * @param source the name of the source
	 * @return the pattern
	 */
	public static Pattern ofAnyWorker(String instanceId, String source) {
		return Pattern.compile(Pattern.quote(instanceId + "-" + source + "-") + "\\d+");
	}

	/**
	 * Whether Kafka accepts a group instance id, or a part of one: letters, digits,
	 * {@code .}, {@code _} and {@code -}, at most 249 characters.
	 * @param id the group instance id, or the instance id or source name in it
	 * @return whether it can be used
	 */
	public static boolean isLegal(String id) {
		return LEGAL.matcher(id).matches() && id.length() <= MAX_LENGTH;
	}

}
