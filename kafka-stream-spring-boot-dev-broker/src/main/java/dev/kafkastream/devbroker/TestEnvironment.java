package dev.kafkastream.devbroker;

import java.util.List;

/**
 * Tells whether the application is started by a test: a test framework's or Spring Boot's
 * test support's classes are on the calling thread's stack.
 */
final class TestEnvironment {

	private static final List<String> TEST_PACKAGES = List.of("org.junit.platform.", "org.junit.runners.",
			"org.testng.", "org.springframework.boot.test.", "org.springframework.test.", "io.cucumber.");

	private TestEnvironment() {
	}

	static boolean isRunningTest() {
		for (StackTraceElement element : Thread.currentThread().getStackTrace()) {
			for (String testPackage : TEST_PACKAGES) {
				if (element.getClassName().startsWith(testPackage)) {
					return true;
				}
			}
		}
		return false;
	}

}
