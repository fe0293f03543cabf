package io.usersync.arch;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.smallrye.config.ConfigMapping;
import io.usersync.directory.StatusLog;
import io.usersync.directory.User;
import io.usersync.directory.UserService;
import io.usersync.events.Outbox;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.ClientStatus;
import jakarta.persistence.Entity;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import java.util.Arrays;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The architecture the brief describes, as rules on the production classes (tests are not analysed):
 * packages by feature, dependencies pointing inward, entities never on the wire, one exception-to-status
 * table, configuration through {@code @ConfigMapping}, and billable-state changes only through
 * {@code directory/StatusLog}.
 */
@AnalyzeClasses(packages = "io.usersync", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String ROOT = "io.usersync.";
    static final String[] FEATURES = { "api", "tenant", "directory", "events", "sync", "billing", "common",
            "platform", "emulator", "webhook" };
    /** Left out of production builds ({@code -Dproduction}, see pom.xml): demo and test glue only. */
    static final String[] NOT_IN_PRODUCTION = { ROOT + "emulator..", ROOT + "platform.embedded.." };

    static String[] packages(String... features) {
        return Arrays.stream(features).map(f -> ROOT + f + "..").toArray(String[]::new);
    }

    static String[] allBut(String... allowed) {
        return Arrays.stream(FEATURES).filter(f -> Arrays.stream(allowed).noneMatch(f::equals))
                .map(f -> ROOT + f + "..").toArray(String[]::new);
    }

    // ---------------------------------------------------------------- packages by feature

    @ArchTest
    static final ArchRule codeIsOrganisedByFeature = classes().should().resideInAnyPackage(packages(FEATURES))
            .because("the code is organised by feature: " + String.join(", ", FEATURES));

    @ArchTest
    static final ArchRule featuresDoNotDependOnEachOtherInCircles = slices().matching(ROOT + "(*)..")
            .should().beFreeOfCycles()
            // an outbox event carries the client's status and billing model as values
            .ignoreDependency(resideInAPackage(ROOT + "events.."), belongToAnyOf(ClientStatus.class,
                    BillingModel.class));

    // ---------------------------------------------------------------- dependencies point inward

    @ArchTest
    static final ArchRule commonDependsOnNoFeature = noClasses().that().resideInAPackage(ROOT + "common..")
            .should().dependOnClassesThat().resideInAnyPackage(allBut("common"));

    @ArchTest
    static final ArchRule eventsDependOnlyOnCommonAndTenantValues = noClasses().that()
            .resideInAPackage(ROOT + "events..").should().dependOnClassesThat(resideInAPackage("io.usersync..")
                    .and(describe("outside common, events and the tenant value enums", (JavaClass c) ->
                            !c.getPackageName().startsWith(ROOT + "common")
                                    && !c.getPackageName().startsWith(ROOT + "events")
                                    && !c.isEquivalentTo(ClientStatus.class)
                                    && !c.isEquivalentTo(BillingModel.class))));

    @ArchTest
    static final ArchRule tenantDependsOnlyOnCommonAndEvents = noClasses().that()
            .resideInAPackage(ROOT + "tenant..").should().dependOnClassesThat()
            .resideInAnyPackage(allBut("tenant", "common", "events"));

    @ArchTest
    static final ArchRule directoryDependsOnlyOnTenantEventsAndCommon = noClasses().that()
            .resideInAPackage(ROOT + "directory..").should().dependOnClassesThat()
            .resideInAnyPackage(allBut("directory", "tenant", "common", "events"));

    @ArchTest
    static final ArchRule syncUsesDirectoryAndTenantNeverTheApi = noClasses().that()
            .resideInAPackage(ROOT + "sync..").should().dependOnClassesThat()
            .resideInAnyPackage(allBut("sync", "directory", "tenant", "common", "events"))
            .because("sync changes users only through directory (StatusLog writes history and outbox) and is "
                    + "driven by the api, never the other way round; it tells tenants about runs through the "
                    + "events port (WebhookEvents), while the billing outbox stays reserved to tenant and directory");

    @ArchTest
    static final ArchRule webhooksDependOnlyOnTenantEventsAndCommon = noClasses().that()
            .resideInAPackage(ROOT + "webhook..").should().dependOnClassesThat()
            .resideInAnyPackage(allBut("webhook", "tenant", "events", "common"))
            .because("the domain publishes to webhooks through events.WebhookEvents; webhooks know no domain module");

    @ArchTest
    static final ArchRule theDirectoryPortDependsOnNothingOfTheEngine = noClasses().that()
            .resideInAPackage(ROOT + "sync.port..").should().dependOnClassesThat()
            .resideInAnyPackage(ROOT + "sync.engine..", ROOT + "sync.m365..", ROOT + "sync.google..");

    @ArchTest
    static final ArchRule billingNeverDependsOnApiSyncOrPlatform = noClasses().that()
            .resideInAPackage(ROOT + "billing..").should().dependOnClassesThat()
            .resideInAnyPackage(packages("api", "sync", "platform", "emulator")).allowEmptyShould(true);

    @ArchTest
    static final ArchRule billingInternalsAreReachedOnlyThroughBillingApi = noClasses().that()
            .resideOutsideOfPackage(ROOT + "billing..").should().dependOnClassesThat()
            .resideInAPackage(ROOT + "billing.internal..");

    @ArchTest
    static final ArchRule onlyThePlatformUsesTheApi = noClasses().that()
            .resideOutsideOfPackages(packages("api", "platform")).should().dependOnClassesThat()
            .resideInAPackage(ROOT + "api..");

    @ArchTest
    static final ArchRule demoAndTestGlueStaysOutOfTheProductionCode = noClasses().that()
            .resideOutsideOfPackages(NOT_IN_PRODUCTION).should().dependOnClassesThat()
            .resideInAnyPackage(NOT_IN_PRODUCTION)
            .because("production builds leave the emulator and the embedded database out (pom.xml), so "
                    + "nothing else may need them (UsersyncMain reaches the embedded database by name only)");

    // ---------------------------------------------------------------- entities never on the wire

    @ArchTest
    static final ArchRule entitiesLiveInTheirFeature = classes().that().areAnnotatedWith(Entity.class).should()
            .resideInAnyPackage(ROOT + "tenant..", ROOT + "directory..", ROOT + "events..", ROOT + "sync..",
                    ROOT + "billing.internal..");

    @ArchTest
    static final ArchRule dtosAreNoEntities = noClasses().that().resideInAPackage(ROOT + "api.dto..").should()
            .beAnnotatedWith(Entity.class);

    @ArchTest
    static final ArchRule dtosHoldNoEntities = fields().that().areDeclaredInClassesThat()
            .resideInAPackage(ROOT + "api.dto..").should(notInvolveEntities(JavaField::getType, "have a type"));

    @ArchTest
    static final ArchRule resourcesReturnNoEntities = methods().that().areDeclaredInClassesThat()
            .areAnnotatedWith(Path.class).and().arePublic().should(notInvolveEntities(JavaMethod::getReturnType,
                    "return"));

    @ArchTest
    static final ArchRule resourcesLiveInTheApi = classes().that().areAnnotatedWith(Path.class).should()
            .resideInAnyPackage(ROOT + "api..", ROOT + "emulator..");

    @ArchTest
    static final ArchRule resourcesLeavePersistenceAndTransactionsToServices = noClasses().that()
            .resideInAPackage(ROOT + "api..").and().resideOutsideOfPackage(ROOT + "api.error..").should()
            .dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "io.quarkus.hibernate.orm..",
                    "javax.sql..", "java.sql..", "jakarta.transaction..")
            .because("resources are thin: services own queries and transactions");

    // ---------------------------------------------------------------- one exception -> status table

    @ArchTest
    static final ArchRule onlyTheApiSpeaksHttp = noClasses().that()
            .resideOutsideOfPackages(ROOT + "api..", ROOT + "emulator..").should().dependOnClassesThat()
            .resideInAPackage("jakarta.ws.rs..")
            .because("services throw DomainException(ProblemType, ...); ProblemMappers alone turns failures "
                    + "into HTTP answers");

    @ArchTest
    static final ArchRule nobodyThrowsWebApplicationExceptions = noClasses().that()
            .resideOutsideOfPackage(ROOT + "emulator..").should().callConstructorWhere(describe(
                    "the constructed class is a WebApplicationException", (JavaConstructorCall call) ->
                            call.getTargetOwner().isAssignableTo(WebApplicationException.class)))
            .because("ProblemType is the one failure-kind to status table");

    @ArchTest
    static final ArchRule securityExceptionsComeOnlyFromAuthentication = noClasses().that()
            .resideOutsideOfPackage(ROOT + "api.security..").should().callConstructorWhere(describe(
                    "the constructed class is a Quarkus security exception", (JavaConstructorCall call) ->
                            call.getTargetOwner().getPackageName().equals("io.quarkus.security")))
            .because("services refuse with DomainException(FORBIDDEN / NOT_FOUND)");

    // ---------------------------------------------------------------- configuration

    @ArchTest
    static final ArchRule configurationComesThroughConfigMappings = noClasses().that()
            .resideOutsideOfPackages(ROOT + "platform..", ROOT + "api.security..").should()
            .dependOnClassesThat().belongToAnyOf(ConfigProperty.class, ConfigProvider.class, Config.class)
            .because("settings are @ConfigMapping interfaces; only platform wiring and api.security (the "
                    + "standard mp.jwt.* keys) read raw properties");

    @ArchTest
    static final ArchRule configMappingsAreDocumentedInterfaces = classes().that()
            .areAnnotatedWith(ConfigMapping.class).should().beInterfaces().andShould()
            .haveSimpleNameEndingWith("Config");

    // ---------------------------------------------------------------- billable state

    @ArchTest
    static final ArchRule onlyUserServiceSetsTheActiveFlag = noClasses().that().doNotBelongToAnyOf(
            UserService.class).should().setFieldWhere(describe("the field is User.active",
                    (JavaFieldAccess a) -> a.getTarget().getOwner().isEquivalentTo(User.class)
                            && a.getTarget().getName().equals("active")))
            .because("every change of the active flag must be recorded by StatusLog in the same transaction");

    @ArchTest
    static final ArchRule theHistoryIsWrittenOnlyByDirectory = classes().that().belongToAnyOf(StatusLog.class)
            .should().onlyHaveDependentClassesThat().resideInAPackage(ROOT + "directory..");

    @ArchTest
    static final ArchRule theOutboxIsWrittenOnlyByTenantAndDirectory = classes().that()
            .belongToAnyOf(Outbox.class).should().onlyHaveDependentClassesThat()
            .resideInAnyPackage(ROOT + "events..", ROOT + "tenant..", ROOT + "directory..");

    @ArchTest
    static final ArchRule servicesAreTransactional = classes().that().haveSimpleNameEndingWith("Service")
            .and().resideInAnyPackage(ROOT + "tenant..", ROOT + "directory..").should()
            .beAnnotatedWith(Transactional.class);

    // ---------------------------------------------------------------- conditions

    /** Fails for members whose type (or any type argument of it) is a JPA entity. */
    static <T extends JavaMember> ArchCondition<T> notInvolveEntities(Function<T, JavaType> type, String verb) {
        return new ArchCondition<>("not " + verb + " involving an @Entity") {
            @Override
            public void check(T member, ConditionEvents events) {
                for (JavaClass involved : type.apply(member).getAllInvolvedRawTypes()) {
                    if (involved.isAnnotatedWith(Entity.class)) {
                        events.add(SimpleConditionEvent.violated(member, member.getFullName() + " " + verb + "s "
                                + involved.getName() + ", an entity"));
                    }
                }
            }
        };
    }
}
