package dev.kafkastream.autoconfigure;

/**
 * A problem a start-up check found: the property to fix, what is wrong and what to do.
 *
 * @param property the property to fix
 * @param problem what is wrong
 * @param action what to do about it
 */
record StartupProblem(String property, String problem, String action) {

	@Override
	public String toString() {
		return this.problem + " (property '" + this.property + "'). " + this.action;
	}

}
