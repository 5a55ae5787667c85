package dev.dukequeue.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package rules of the engine, after STYLE.md: SQL in the store only, the model free of infrastructure. */
class EngineArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.dukequeue.engine");

    @Test
    void onlyTheStoreTalksJdbc() {
        assertThat(ENGINE).as("classes imported").hasSizeGreaterThan(30);
        noClasses().that().resideOutsideOfPackage("dev.dukequeue.engine.store..")
                .and().resideOutsideOfPackage("dev.dukequeue.engine.lifecycle..")
                .should().dependOnClassesThat().belongToAnyOf(java.sql.Connection.class, java.sql.Statement.class,
                        java.sql.PreparedStatement.class, java.sql.ResultSet.class)
                .because("every SQL statement lives in the store (lifecycle only hands the data source to the migrator)")
                .check(ENGINE);
    }

    @Test
    void theJobModelDependsOnNoOtherEnginePackage() {
        noClasses().that().resideInAPackage("dev.dukequeue.engine.job..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.dukequeue.engine.store..",
                        "dev.dukequeue.engine.dispatch..", "dev.dukequeue.engine.submit..", "dev.dukequeue.engine.lease..",
                        "dev.dukequeue.engine.lifecycle..", "dev.dukequeue.engine.read..",
                        "dev.dukequeue.engine.node..", "dev.dukequeue.engine.upkeep..")
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

    @Test
    void noImplOrInterfacePrefixNames() {
        noClasses().should().haveSimpleNameEndingWith("Impl").check(ENGINE);
    }
}
