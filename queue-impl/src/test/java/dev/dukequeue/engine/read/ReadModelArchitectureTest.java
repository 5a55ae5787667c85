package dev.dukequeue.engine.read;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The read model reads: the submission path may use it (JobQueue.find), it never uses the submission path or the
 * dispatcher, and what it reads never reads it back, so that no package cycle goes through it.
 */
class ReadModelArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.dukequeue.engine");

    @Test
    void theReadModelNeverCallsTheWritingSide() {
        assertThat(ENGINE.stream().filter(c -> c.getPackageName().equals("dev.dukequeue.engine.read")))
                .as("read model classes imported").hasSizeGreaterThan(5);
        noClasses().that().resideInAPackage("dev.dukequeue.engine.read..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.dukequeue.engine.submit..",
                        "dev.dukequeue.engine.dispatch..", "dev.dukequeue.engine.lease..",
                        "dev.dukequeue.engine.lifecycle..")
                .because("submit uses the read model (JobQueue.find): a dependency back would be a cycle")
                .check(ENGINE);
    }

    @Test
    void whatTheReadModelReadsNeverReadsItBack() {
        noClasses().that().resideInAnyPackage("dev.dukequeue.engine.store..", "dev.dukequeue.engine.database..",
                        "dev.dukequeue.engine.job..", "dev.dukequeue.engine.config..", "dev.dukequeue.engine.observe..",
                        "dev.dukequeue.engine.schedule..")
                .should().dependOnClassesThat().resideInAPackage("dev.dukequeue.engine.read..")
                .check(ENGINE);
    }
}
