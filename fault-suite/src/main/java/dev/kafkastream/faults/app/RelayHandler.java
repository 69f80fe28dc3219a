package dev.kafkastream.faults.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.kafkastream.handler.KafkaStreamHandler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Passes every value on with {@code |out} appended. A value that contains {@code poison}
 * makes it throw, which the source's {@code on-handler-error} policy handles. With
 * {@code fault.stall-at-id} set, it blocks on the record of that id for
 * {@code fault.stall}, once across restarts (a marker file in {@code fault.stall-marker}
 * remembers it): a checkpoint that cannot finish before the transaction times out.
 */
@Component
class RelayHandler {

	private final long stallAtId;

	private final Duration stall;

	private final Path stallMarker;

	RelayHandler(@Value("${fault.stall-at-id:-1}") long stallAtId, @Value("${fault.stall:0s}") Duration stall,
			@Value("${fault.stall-marker:stalled}") Path stallMarker) {
		this.stallAtId = stallAtId;
		this.stall = stall;
		this.stallMarker = stallMarker;
	}

	@KafkaStreamHandler(source = "in", sink = "out")
	String relay(String value) throws InterruptedException {
		if (value.contains("poison")) {
			throw new IllegalArgumentException("Refusing a poison record: " + value);
		}
		if (this.stallAtId >= 0 && hasId(value, this.stallAtId) && firstStall()) {
			// a handler that hangs is the fault under test
			TimeUnit.MILLISECONDS.sleep(this.stall.toMillis());
		}
		return value + "|out";
	}

	private static boolean hasId(String value, long id) {
		// the load's values are the bare id, or the id and a payload after '|'
		String prefix = String.valueOf(id);
		return value.equals(prefix) || value.startsWith(prefix + "|");
	}

	private boolean firstStall() {
		try {
			Files.createFile(this.stallMarker);
			return true;
		}
		catch (FileAlreadyExistsException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
