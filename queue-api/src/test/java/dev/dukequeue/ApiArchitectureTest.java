package dev.dukequeue;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The API is what applications compile against: no persistence, EJB or engine type may leak into it. */
class ApiArchitectureTest {

    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.dukequeue");

    @Test
    void apiUsesNoPersistenceEjbTransactionOrEngineType() {
        assertThat(API).as("classes imported").hasSizeGreaterThan(15);
        noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "jakarta.ejb..",
                        "dev.dukequeue.engine..", "java.sql..", "javax.sql..", "jakarta.transaction..")
                .because("applications compile against queue-api only; the engine behind it must be free to change")
                .check(API);
    }
}
