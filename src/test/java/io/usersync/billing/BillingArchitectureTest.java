package io.usersync.billing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The billing module's boundary: others reach it only through {@code billing.api}, and monthly billing learns
 * about tenants and users only from outbox events, never from their tables, entities or services. (The licence
 * plan and contract packages are another engineer's and are not constrained here.)
 */
class BillingArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.usersync");

    static final String[] MONTHLY = { "io.usersync.billing.api..", "io.usersync.billing.internal",
            "io.usersync.billing.internal.consumer..", "io.usersync.billing.internal.ledger..",
            "io.usersync.billing.internal.period..", "io.usersync.billing.internal.pricing..",
            "io.usersync.billing.internal.invoice..", "io.usersync.billing.internal.payment..",
            "io.usersync.billing.internal.notice.." };

    @Test
    void onlyBillingReachesItsInternals() {
        noClasses().that().resideOutsideOfPackage("io.usersync.billing.internal..")
                .should().dependOnClassesThat().resideInAPackage("io.usersync.billing.internal..")
                .because("other modules use billing through io.usersync.billing.api").check(CLASSES);
    }

    @Test
    void monthlyBillingNeverTouchesOtherModulesState() {
        noClasses().that().resideInAnyPackage(MONTHLY)
                .should().dependOnClassesThat().resideInAnyPackage("io.usersync.directory..", "io.usersync.sync..",
                        "io.usersync.api..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.usersync.tenant.Msp")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.usersync.tenant.ClientAccount")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.usersync.tenant.ClientStatusChange")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.usersync.tenant.TenantService")
                .orShould().dependOnClassesThat().areAnnotatedWith(jakarta.persistence.Entity.class)
                .because("billing derives everything from outbox events").check(CLASSES);
    }
}
