package dev.kafkastream.checkpoint;

import dev.kafkastream.checkpoint.CheckpointMetadata.Stop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CheckpointMetadata}.
 */
class CheckpointMetadataTests {

	@Test
	void checkpointIdAndStopRoundTrip() {
		String metadata = CheckpointMetadata.of(7, new Stop(2, 120));
		assertThat(CheckpointMetadata.checkpointId(metadata)).isEqualTo(7);
		assertThat(CheckpointMetadata.stop(metadata)).isEqualTo(new Stop(2, 120));
	}

	@Test
	void metadataWithoutStopHasOnlyACheckpointId() {
		assertThat(CheckpointMetadata.checkpointId(CheckpointMetadata.of(7))).isEqualTo(7);
		assertThat(CheckpointMetadata.stop(CheckpointMetadata.of(7))).isNull();
		// as written before stops were kept
		assertThat(CheckpointMetadata.checkpointId("kafka-stream:checkpoint=12")).isEqualTo(12);
	}

	@Test
	void foreignOrBrokenMetadataCarriesNothing() {
		assertThat(CheckpointMetadata.checkpointId(null)).isEqualTo(-1);
		assertThat(CheckpointMetadata.stop(null)).isNull();
		assertThat(CheckpointMetadata.stop("")).isNull();
		assertThat(CheckpointMetadata.stop("run=1;stop=5")).isNull();
		assertThat(CheckpointMetadata.stop("kafka-stream:checkpoint=3;run=x;stop=5")).isNull();
		assertThat(CheckpointMetadata.stop("kafka-stream:checkpoint=3;run=1")).isNull();
		assertThat(CheckpointMetadata.checkpointId("kafka-stream:checkpoint=x;run=1;stop=5")).isEqualTo(-1);
	}

}
