package dev.kafkastream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the core packages a small Java library: no Spring, no Micrometer, and no
 * dependency on the Spring-aware packages.
 */
class ArchitectureTests {

	private static final String[] CORE = { "dev.kafkastream.core..", "dev.kafkastream.source..",
			"dev.kafkastream.sink..", "dev.kafkastream.checkpoint..", "dev.kafkastream.runtime.." };

	private final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.kafkastream");

	@Test
	void coreDoesNotUseSpring() {
		noClasses().that()
			.resideInAnyPackage(CORE)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(this.classes);
	}

	@Test
	void coreDoesNotUseSpringAwarePackages() {
		noClasses().that()
			.resideInAnyPackage(CORE)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.kafkastream.handler..", "dev.kafkastream.autoconfigure..",
					"dev.kafkastream.actuate..", "dev.kafkastream.observation..")
			.check(this.classes);
	}

	@Test
	void coreDoesNotUseMicrometer() {
		noClasses().that()
			.resideInAnyPackage(CORE)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.micrometer..")
			.check(this.classes);
	}

	@Test
	void sourcesSinksAndCheckpointsDoNotUseTheRuntime() {
		noClasses().that()
			.resideInAnyPackage("dev.kafkastream.core..", "dev.kafkastream.source..", "dev.kafkastream.sink..",
					"dev.kafkastream.checkpoint..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.kafkastream.runtime..")
			.check(this.classes);
	}

}
