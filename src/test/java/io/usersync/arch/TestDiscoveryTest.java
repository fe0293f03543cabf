package io.usersync.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every test class runs: a concrete class that holds tests (JUnit, jqwik or ArchUnit) must be named so that the
 * build picks it up — {@code *Test} (surefire), {@code *IT} (failsafe) or {@code *Benchmark} under
 * {@code io.usersync.bench} (the bench profile). A class named otherwise compiles, looks like a test, and never runs.
 */
class TestDiscoveryTest {

    private static final Set<String> TEST_ANNOTATIONS = Set.of(
            "org.junit.jupiter.api.Test",
            "org.junit.jupiter.params.ParameterizedTest",
            "org.junit.jupiter.api.RepeatedTest",
            "org.junit.jupiter.api.TestFactory",
            "org.junit.jupiter.api.TestTemplate",
            "net.jqwik.api.Property",
            "net.jqwik.api.Example",
            "com.tngtech.archunit.junit.ArchTest");

    /** The name patterns of pom.xml: surefire's default *Test, failsafe's *IT, the bench profile's *Benchmark. */
    private static final Pattern PICKED_UP = Pattern.compile(".*(Test|IT)|io\\.usersync\\.bench\\..*Benchmark");

    private static final JavaClasses TEST_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .importPackages("io.usersync");

    @Test
    void everyClassHoldingTestsIsNamedSoTheBuildRunsIt() {
        Set<String> neverRun = new TreeSet<>();
        for (JavaClass javaClass : TEST_CLASSES) {
            if (!holdsTests(javaClass) || javaClass.getModifiers().contains(JavaModifier.ABSTRACT)
                    || javaClass.isInterface()) {
                continue;
            }
            if (javaClass.isNestedClass()) {
                // JUnit runs @Nested classes through their enclosing class, which must itself be picked up
                if (!javaClass.isAnnotatedWith("org.junit.jupiter.api.Nested")
                        || !pickedUp(javaClass.getEnclosingClass().orElseThrow())) {
                    neverRun.add(javaClass.getName());
                }
            } else if (!pickedUp(javaClass)) {
                neverRun.add(javaClass.getName());
            }
        }
        assertEquals(Set.of(), neverRun, "test classes that no build execution picks up (rename them)");
    }

    @Test
    void theCheckSeesTestsOfEveryKind() {
        // guards the check itself: it must recognise JUnit, jqwik and ArchUnit test classes it is meant to cover
        List<String> known = List.of("io.usersync.arch.ArchitectureTest",
                "io.usersync.billing.internal.period.PeriodsPropertiesTest", "io.usersync.arch.TestDiscoveryTest");
        for (String name : known) {
            assertTrue(holdsTests(TEST_CLASSES.get(name)), name + " should be recognised as holding tests");
        }
    }

    private static boolean pickedUp(JavaClass javaClass) {
        return PICKED_UP.matcher(javaClass.getName()).matches();
    }

    private static boolean holdsTests(JavaClass javaClass) {
        boolean methods = javaClass.getAllMethods().stream()
                .anyMatch(m -> m.getAnnotations().stream()
                        .anyMatch(a -> TEST_ANNOTATIONS.contains(a.getRawType().getName())));
        boolean fields = javaClass.getAllFields().stream()
                .anyMatch(f -> f.isAnnotatedWith("com.tngtech.archunit.junit.ArchTest"));
        return methods || fields;
    }
}
