package dev.kafkastream.checkpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers a checkpoint every interval, collects the acknowledgements of every
 * participant and keeps the history of recent checkpoints. At most one checkpoint is in
 * progress at a time: a periodic trigger that finds one still running is skipped; an
 * explicit trigger, and the final checkpoint, follow it. The coordinator can be started
 * again after a stop or a close.
 */
public final class CheckpointCoordinator {

	private static final Logger logger = LoggerFactory.getLogger(CheckpointCoordinator.class);

	private final CheckpointSettings settings;

	private final Clock clock;

	private final Set<CheckpointParticipant> participants = new LinkedHashSet<>();

	private final Deque<CheckpointRecord> history = new ArrayDeque<>();

	private final List<CheckpointListener> listeners = new CopyOnWriteArrayList<>();

	private @Nullable CheckpointRecord lastFailed;

	private @Nullable PendingCheckpoint pending;

	private long lastCheckpointId;

	private long completedCount;

	private long failedCount;

	private int consecutiveFailures;

	private Instant lastFinished = Instant.EPOCH;

	/**
	 * Triggers periodic checkpoints and times checkpoints out; created when first needed,
	 * again after {@link #close()}.
	 */
	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> periodic;

	/** Whether {@link #close()} was called and {@link #start()} not since. */
	private boolean closed;

	public CheckpointCoordinator(CheckpointSettings settings) {
		this(settings, Clock.systemUTC());
	}

	CheckpointCoordinator(CheckpointSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	public CheckpointSettings settings() {
		return this.settings;
	}

	/**
	 * Adds a listener told of every checkpoint that completes or fails.
	 * @param listener the listener
	 */
	public void addListener(CheckpointListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	private void notifyListeners(CheckpointRecord record) {
		for (CheckpointListener listener : this.listeners) {
			try {
				listener.checkpointFinished(record);
			}
			catch (RuntimeException ex) {
				logger.warn("Checkpoint listener {} failed", listener, ex);
			}
		}
	}

	/**
	 * Starts triggering checkpoints every interval, also after {@link #stop()} or
	 * {@link #close()}.
	 */
	public void start() {
		start(this.settings.interval());
	}

	/**
	 * Starts triggering checkpoints every interval, the first one after the given delay,
	 * also after {@link #stop()} or {@link #close()}.
	 * @param firstDelay time until the first checkpoint
	 */
	public synchronized void start(Duration firstDelay) {
		this.closed = false;
		if (this.periodic == null) {
			this.periodic = scheduler().scheduleAtFixedRate(this::triggerPeriodic, Math.max(0, firstDelay.toMillis()),
					this.settings.interval().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * The scheduler, created if there is none. Called with the lock held.
	 * @return the scheduler
	 */
	private ScheduledExecutorService scheduler() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler == null) {
			scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "kafka-stream-checkpoint-coordinator");
				thread.setDaemon(true);
				return thread;
			});
			this.scheduler = scheduler;
		}
		return scheduler;
	}

	/**
	 * Stops triggering checkpoints periodically. A checkpoint in progress, or one triggered
	 * afterwards, still completes or times out.
	 */
	public synchronized void stop() {
		if (this.periodic != null) {
			this.periodic.cancel(false);
			this.periodic = null;
		}
	}

	/**
	 * Stops triggering checkpoints and ends the coordinator's thread. A checkpoint still in
	 * progress fails: nothing would time it out any more. {@link #start()} starts again.
	 */
	public void close() {
		ScheduledExecutorService scheduler;
		long inProgress;
		synchronized (this) {
			stop();
			this.closed = true;
			scheduler = this.scheduler;
			this.scheduler = null;
			inProgress = (this.pending != null) ? this.pending.id : -1;
		}
		if (inProgress >= 0) {
			fail(inProgress, "the checkpoint coordinator closed");
		}
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	public synchronized void register(CheckpointParticipant participant) {
		this.participants.add(participant);
	}

	/**
	 * Removes a participant. A checkpoint in progress that still waits for it fails: the
	 * participant's partitions are not part of it.
	 * @param participant the participant
	 */
	public void unregister(CheckpointParticipant participant) {
		long awaited = -1;
		synchronized (this) {
			this.participants.remove(participant);
			if (this.pending != null && this.pending.awaiting.contains(participant)) {
				awaited = this.pending.id;
			}
		}
		if (awaited >= 0) {
			fail(awaited, participant + " stopped before acknowledging");
		}
	}

	/**
	 * Makes checkpoint ids continue after the given one, typically the id found in the
	 * metadata of offsets committed by an earlier run.
	 * @param checkpointId a checkpoint id that was already used
	 */
	public synchronized void restoreCheckpointId(long checkpointId) {
		this.lastCheckpointId = Math.max(this.lastCheckpointId, checkpointId);
	}

	/**
	 * Triggers a checkpoint now, after the one in progress if there is one.
	 * @return the checkpoint, completed when every participant acknowledged it or it
	 * failed; {@code null} when there is no participant
	 */
	public CompletableFuture<@Nullable CheckpointRecord> trigger() {
		return trigger(false);
	}

	/**
	 * Triggers the final checkpoint now: each participant stops once it acknowledged it.
	 * A checkpoint still in progress is superseded (it fails): the final one does not wait
	 * for it, since a participant that holds it up (a handler that hangs) would hold up
	 * the final commit of every other participant too. A participant still busy with the
	 * superseded checkpoint commits again for the final one. Call {@link #stop()} first.
	 * @return the checkpoint, completed when every participant acknowledged it or it
	 * failed; {@code null} when there is no participant
	 */
	public CompletableFuture<@Nullable CheckpointRecord> triggerFinal() {
		PendingCheckpoint superseded;
		PendingCheckpoint started;
		synchronized (this) {
			superseded = (this.pending != null) ? failPending(this.pending.id,
					"superseded by the final checkpoint " + (this.lastCheckpointId + 1)) : null;
			started = startCheckpoint(true);
		}
		if (superseded != null) {
			completeFailed(superseded);
		}
		if (started == null) {
			return CompletableFuture.completedFuture(null);
		}
		notifyParticipants(started);
		return started.future;
	}

	private CompletableFuture<@Nullable CheckpointRecord> trigger(boolean finalCheckpoint) {
		PendingCheckpoint started;
		CompletableFuture<CheckpointRecord> inProgress;
		synchronized (this) {
			if (this.pending == null) {
				started = startCheckpoint(finalCheckpoint);
				if (started == null) {
					return CompletableFuture.completedFuture(null);
				}
				inProgress = started.future;
			}
			else {
				started = null;
				inProgress = this.pending.future;
			}
		}
		if (started != null) {
			notifyParticipants(started);
			return inProgress;
		}
		return inProgress.handle((record, ex) -> null).thenCompose((ignored) -> trigger(finalCheckpoint));
	}

	private void triggerPeriodic() {
		try {
			PendingCheckpoint started;
			synchronized (this) {
				if (this.pending != null) {
					logger.debug("Skipping a checkpoint: checkpoint {} is still in progress", this.pending.id);
					return;
				}
				if (this.clock.instant().isBefore(this.lastFinished.plus(this.settings.minPause()))) {
					return;
				}
				started = startCheckpoint(false);
			}
			if (started != null) {
				notifyParticipants(started);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Could not trigger a checkpoint", ex);
		}
	}

	/**
	 * Starts a checkpoint, if there is a participant. Called with the lock held.
	 * @param finalCheckpoint whether participants stop after it
	 * @return the checkpoint started, or {@code null} when there is no participant or
	 * the coordinator is closed
	 */
	private @Nullable PendingCheckpoint startCheckpoint(boolean finalCheckpoint) {
		if (this.participants.isEmpty() || this.closed) {
			return null;
		}
		PendingCheckpoint checkpoint = new PendingCheckpoint(++this.lastCheckpointId, this.clock.instant(),
				this.participants, finalCheckpoint);
		this.pending = checkpoint;
		checkpoint.expiry = scheduler().schedule(() -> expire(checkpoint.id), this.settings.timeout().toMillis(),
				TimeUnit.MILLISECONDS);
		return checkpoint;
	}

	/**
	 * Tells the participants of a checkpoint, without holding the lock: they may
	 * acknowledge at once.
	 * @param checkpoint the checkpoint
	 */
	private void notifyParticipants(PendingCheckpoint checkpoint) {
		for (CheckpointParticipant participant : checkpoint.participants) {
			participant.checkpointRequested(checkpoint.id, checkpoint.finalCheckpoint);
		}
	}

	/**
	 * Acknowledges a checkpoint: the participant committed everything it processed.
	 * @param checkpointId the checkpoint id
	 * @param participant the participant
	 * @param offsets the committed offsets of the partitions the participant owns
	 */
	public void acknowledge(long checkpointId, CheckpointParticipant participant, Map<TopicPartition, Long> offsets) {
		PendingCheckpoint completed = null;
		synchronized (this) {
			PendingCheckpoint checkpoint = this.pending;
			if (checkpoint == null || checkpoint.id != checkpointId || !checkpoint.awaiting.remove(participant)) {
				return;
			}
			checkpoint.offsets.putAll(offsets);
			if (checkpoint.awaiting.isEmpty()) {
				completed = complete(checkpoint);
			}
		}
		if (completed != null) {
			CheckpointRecord record = Objects.requireNonNull(completed.record);
			notifyListeners(record);
			completed.future.complete(record);
		}
	}

	/**
	 * Declines a checkpoint: the participant could not commit.
	 * @param checkpointId the checkpoint id
	 * @param participant the participant
	 * @param cause why
	 */
	public void decline(long checkpointId, CheckpointParticipant participant, Throwable cause) {
		fail(checkpointId, participant + " declined: " + cause);
	}

	private void expire(long checkpointId) {
		fail(checkpointId, "timed out after " + this.settings.timeout());
	}

	private void fail(long checkpointId, String reason) {
		PendingCheckpoint failed;
		synchronized (this) {
			failed = failPending(checkpointId, reason);
		}
		if (failed != null) {
			completeFailed(failed);
		}
	}

	/**
	 * Fails the checkpoint in progress if it has the given id. Called with the lock held;
	 * complete it with {@link #completeFailed} once the lock is released.
	 * @param checkpointId the checkpoint id
	 * @param reason why it failed
	 * @return the failed checkpoint, or {@code null} if it is no longer in progress
	 */
	private @Nullable PendingCheckpoint failPending(long checkpointId, String reason) {
		PendingCheckpoint checkpoint = this.pending;
		if (checkpoint == null || checkpoint.id != checkpointId) {
			return null;
		}
		this.pending = null;
		this.failedCount++;
		this.consecutiveFailures++;
		this.lastFinished = this.clock.instant();
		checkpoint.record = record(checkpoint, CheckpointState.FAILED, reason);
		this.lastFailed = checkpoint.record;
		addToHistory(checkpoint.record);
		return checkpoint;
	}

	private void completeFailed(PendingCheckpoint checkpoint) {
		CheckpointRecord record = Objects.requireNonNull(checkpoint.record);
		logger.warn("Checkpoint {} failed: {}", checkpoint.id, record.failure());
		notifyListeners(record);
		checkpoint.future.complete(record);
	}

	private PendingCheckpoint complete(PendingCheckpoint checkpoint) {
		this.pending = null;
		this.completedCount++;
		this.consecutiveFailures = 0;
		this.lastFinished = this.clock.instant();
		checkpoint.record = record(checkpoint, CheckpointState.COMPLETED, null);
		addToHistory(checkpoint.record);
		logger.debug("Checkpoint {} completed in {}", checkpoint.id, checkpoint.record.duration());
		return checkpoint;
	}

	private CheckpointRecord record(PendingCheckpoint checkpoint, CheckpointState state, @Nullable String failure) {
		if (checkpoint.expiry != null) {
			checkpoint.expiry.cancel(false);
		}
		return new CheckpointRecord(checkpoint.id, checkpoint.triggerTime,
				Duration.between(checkpoint.triggerTime, this.clock.instant()), state, checkpoint.offsets, failure);
	}

	private void addToHistory(CheckpointRecord record) {
		this.history.addFirst(record);
		while (this.history.size() > this.settings.historySize()) {
			this.history.removeLast();
		}
	}

	/**
	 * The recent checkpoints, newest first, including the one in progress.
	 * @return the checkpoints
	 */
	public synchronized List<CheckpointRecord> history() {
		List<CheckpointRecord> records = new ArrayList<>(this.history.size() + 1);
		inProgress().ifPresent(records::add);
		records.addAll(this.history);
		return records;
	}

	public synchronized Optional<CheckpointRecord> latestCompleted() {
		return this.history.stream().filter((record) -> record.state() == CheckpointState.COMPLETED).findFirst();
	}

	/**
	 * The last checkpoint that failed since start, even when the history no longer holds
	 * it.
	 * @return the checkpoint, empty if none failed
	 */
	public synchronized Optional<CheckpointRecord> lastFailed() {
		return Optional.ofNullable(this.lastFailed);
	}

	/**
	 * The checkpoint in progress.
	 * @return the checkpoint, with the offsets acknowledged so far, empty if none is in
	 * progress
	 */
	public synchronized Optional<CheckpointRecord> inProgress() {
		PendingCheckpoint pending = this.pending;
		return (pending != null) ? Optional.of(new CheckpointRecord(pending.id, pending.triggerTime, null,
				CheckpointState.IN_PROGRESS, pending.offsets, null)) : Optional.empty();
	}

	public synchronized CheckpointCounts counts() {
		return new CheckpointCounts(this.completedCount, this.failedCount, this.consecutiveFailures,
				(this.pending != null) ? 1 : 0);
	}

	/**
	 * Counts of checkpoints since start.
	 *
	 * @param completed completed checkpoints
	 * @param failed failed checkpoints
	 * @param consecutiveFailures failures since the last completed checkpoint
	 * @param inProgress checkpoints in progress
	 */
	public record CheckpointCounts(long completed, long failed, int consecutiveFailures, int inProgress) {

	}

	private static final class PendingCheckpoint {

		final long id;

		final Instant triggerTime;

		final List<CheckpointParticipant> participants;

		final Set<CheckpointParticipant> awaiting;

		final boolean finalCheckpoint;

		@Nullable ScheduledFuture<?> expiry;

		final Map<TopicPartition, Long> offsets = new HashMap<>();

		final CompletableFuture<CheckpointRecord> future = new CompletableFuture<>();

		@Nullable CheckpointRecord record;

		PendingCheckpoint(long id, Instant triggerTime, Set<CheckpointParticipant> participants,
				boolean finalCheckpoint) {
			this.id = id;
			this.triggerTime = triggerTime;
			this.participants = List.copyOf(participants);
			this.awaiting = new LinkedHashSet<>(participants);
			this.finalCheckpoint = finalCheckpoint;
		}

	}

}
