package dev.kafkastream.source;

import java.util.Collection;

import dev.kafkastream.core.NonRetryableException;
import org.apache.kafka.common.TopicPartition;

/**
 * Partitions have no checkpoint and the starting offsets give them nowhere to start.
 */
public class NoStartingOffsetException extends NonRetryableException {

	public NoStartingOffsetException(Collection<TopicPartition> partitions) {
		super("No committed offset for " + partitions + " and the offset reset strategy is 'none'");
	}

}
