package dev.kafkastream.runtime;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Operations asked of a worker from other threads (pause, resume, reset, drain), run by
 * the worker on its own thread between two polls, where it may use its consumer. The
 * worker checks for them once per poll: one volatile read.
 */
final class WorkerTasks {

	private final String name;

	private final Queue<Task<?>> tasks = new ConcurrentLinkedQueue<>();

	private volatile boolean closed;

	WorkerTasks(String name) {
		this.name = name;
	}

	/**
	 * Queues a task for the worker's thread.
	 * @param <T> the task's result type
	 * @param task the task
	 * @return its result, completed on the worker's thread; failed if the worker stopped
	 * before it ran the task
	 */
	<T> CompletableFuture<T> submit(Supplier<T> task) {
		Task<T> queued = new Task<>(task);
		this.tasks.add(queued);
		if (this.closed) {
			failPending();
		}
		return queued.result;
	}

	boolean hasPending() {
		return !this.tasks.isEmpty();
	}

	/**
	 * Runs the tasks queued so far, on the worker's thread.
	 */
	void runPending() {
		Task<?> task;
		while ((task = this.tasks.poll()) != null) {
			task.run();
		}
	}

	/**
	 * Fails every task still queued, and every task queued from now on: the worker's
	 * thread ends.
	 */
	void close() {
		this.closed = true;
		failPending();
	}

	private void failPending() {
		Task<?> task;
		while ((task = this.tasks.poll()) != null) {
			task.result.completeExceptionally(
					new PipelineOperationException(this.name + " stopped before it could do what was asked"));
		}
	}

	private static final class Task<T> {

		final Supplier<T> work;

		final CompletableFuture<T> result = new CompletableFuture<>();

		Task(Supplier<T> work) {
			this.work = work;
		}

		void run() {
			try {
				this.result.complete(this.work.get());
			}
			catch (RuntimeException ex) {
				this.result.completeExceptionally(ex);
			}
		}

	}

}
