package io.usersync.billing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.usersync.directory.StatusLog;
import io.usersync.directory.SyncedUserStore;
import io.usersync.directory.User;
import io.usersync.directory.UserStatusEvent;
import io.usersync.events.Outbox;
import org.junit.jupiter.api.Test;

/** The module boundaries the contract and licence-plan code relies on. */
class BillingPlansArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.usersync");

    @Test
    void billingInternalsAreReachedOnlyThroughTheBillingApi() {
        noClasses().that().resideOutsideOfPackage("io.usersync.billing..")
                .should().dependOnClassesThat().resideInAPackage("io.usersync.billing.internal..")
                .check(CLASSES);
    }

    @Test
    void contractsAndLicensingReadTheDirectoryOnlyThroughItsPublicServices() {
        noClasses().that().resideInAnyPackage("io.usersync.billing.internal.contracts..",
                "io.usersync.billing.internal.licensing..")
                .should().dependOnClassesThat().belongToAnyOf(User.class, UserStatusEvent.class, StatusLog.class,
                        SyncedUserStore.class, Outbox.class)
                .check(CLASSES);
    }
}
