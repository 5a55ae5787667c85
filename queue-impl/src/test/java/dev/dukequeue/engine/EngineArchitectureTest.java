package dev.dukequeue.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Package rules of the engine, after STYLE.md: SQL in the store and the database infrastructure only (statements in
 * their catalogues: {@link SqlCatalogueTest}), the model free of infrastructure.
 */
class EngineArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.dukequeue.engine");

    @Test
    void onlyTheStoreTalksJdbc() {
        assertThat(ENGINE).as("classes imported").hasSizeGreaterThan(30);
        noClasses().that().resideOutsideOfPackages("dev.dukequeue.engine.store..", "dev.dukequeue.engine.database..")
                .should().dependOnClassesThat().belongToAnyOf(java.sql.Statement.class,
                        java.sql.PreparedStatement.class, java.sql.CallableStatement.class, java.sql.ResultSet.class,
                        java.sql.DriverManager.class, java.sql.Driver.class)
                .because("every SQL statement lives in the store or the database infrastructure")
                .check(ENGINE);
        noClasses().that().resideOutsideOfPackages("dev.dukequeue.engine.store..", "dev.dukequeue.engine.database..")
                .should().dependOnClassesThat().belongToAnyOf(java.sql.Connection.class)
                .because("connections are the store's and the database's (the start-up's wait for the database asks"
                        + " DatabaseProbe)")
                .check(ENGINE);
    }

    @Test
    void theDatabaseInfrastructureKnowsNothingOfJobs() {
        noClasses().that().resideInAPackage("dev.dukequeue.engine.database..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.dukequeue.engine.store..",
                        "dev.dukequeue.engine.job..", "dev.dukequeue.engine.dispatch..", "dev.dukequeue.engine.submit..",
                        "dev.dukequeue.engine.lease..", "dev.dukequeue.engine.lifecycle..", "dev.dukequeue.engine.read..",
                        "dev.dukequeue.engine.upkeep..", "dev.dukequeue.engine.schedule..", "dev.dukequeue.engine.retention..",
                        "dev.dukequeue.engine.batch..")
                .check(ENGINE);
    }

    @Test
    void theJobModelDependsOnNoOtherEnginePackage() {
        noClasses().that().resideInAPackage("dev.dukequeue.engine.job..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.dukequeue.engine.store..",
                        "dev.dukequeue.engine.dispatch..", "dev.dukequeue.engine.submit..", "dev.dukequeue.engine.lease..",
                        "dev.dukequeue.engine.lifecycle..", "dev.dukequeue.engine.read..",
                        "dev.dukequeue.engine.node..", "dev.dukequeue.engine.upkeep..", "dev.dukequeue.engine.database..")
                .check(ENGINE);
    }

    @Test
    void theStoreDoesNotKnowWhoCallsIt() {
        noClasses().that().resideInAPackage("dev.dukequeue.engine.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.dukequeue.engine.dispatch..",
                        "dev.dukequeue.engine.submit..", "dev.dukequeue.engine.lease..", "dev.dukequeue.engine.read..")
                .check(ENGINE);
    }

    /** No two engine packages depend on each other, directly or round a loop. */
    @Test
    void enginePackagesAreFreeOfCycles() {
        slices().matching("dev.dukequeue.engine.(*)..").should().beFreeOfCycles().check(ENGINE);
    }

    /** Settings, the clock and the demo marker are what every package may use: they use no other engine package. */
    @Test
    void theConfigurationDependsOnNoOtherEnginePackage() {
        noClasses().that().resideInAPackage("dev.dukequeue.engine.config..")
                .should().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates
                        .resideInAPackage("dev.dukequeue.engine..").and(com.tngtech.archunit.core.domain.JavaClass
                                .Predicates.resideOutsideOfPackage("dev.dukequeue.engine.config..")))
                .check(ENGINE);
    }

    /**
     * The hand-built host ({@code engine.host}) composes the engine; the engine never knows which host runs it. The
     * cycle rule above also covers it.
     */
    @Test
    void nothingInTheEngineDependsOnTheHandBuiltHost() {
        noClasses().that().resideOutsideOfPackage("dev.dukequeue.engine.host..")
                .should().dependOnClassesThat().resideInAPackage("dev.dukequeue.engine.host..")
                .check(ENGINE);
        assertThat(ENGINE.containPackage("dev.dukequeue.engine.host")).as("the host package is imported").isTrue();
    }

    @Test
    void noImplOrInterfacePrefixNames() {
        noClasses().should().haveSimpleNameEndingWith("Impl").check(ENGINE);
    }
}
