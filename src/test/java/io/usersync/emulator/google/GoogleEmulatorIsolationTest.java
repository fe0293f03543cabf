package io.usersync.emulator.google;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator is demo and test tooling: production builds leave it out, so no product code may depend on it
 * (only the demo glue in {@code io.usersync.emulator.demo}, itself left out of production builds and off unless
 * explicitly enabled), and it must never start by itself (no CDI bean, no Quarkus lifecycle hook).
 */
class GoogleEmulatorIsolationTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.usersync");
    }

    @Test
    void productCodeDoesNotUseTheEmulator() {
        noClasses().that().resideOutsideOfPackages("io.usersync.emulator.google..", "io.usersync.emulator.demo..")
                .should().dependOnClassesThat().resideInAPackage("io.usersync.emulator.google..")
                .check(classes);
    }

    @Test
    void theEmulatorIsNeitherABeanNorPartOfTheQuarkusLifecycle() {
        noClasses().that().resideInAPackage("io.usersync.emulator.google..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.enterprise..", "jakarta.inject..",
                        "io.quarkus..")
                .check(classes);
    }
}
