package dev.dukequeue.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The web layer maps requests to the engine's API and admin service: never to entities, the store or SQL. */
class WebArchitectureTest {

    private static final JavaClasses WEB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.dukequeue.web");

    @Test
    void webUsesTheApiAndTheAdminServiceOnly() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.dukequeue.engine.job..",
                        "dev.dukequeue.engine.store..", "dev.dukequeue.engine.dispatch..", "jakarta.persistence..",
                        "java.sql..")
                .check(WEB);
    }
}
