package dev.dukequeue.web;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The web layer maps requests to the API ({@code queue-api}) and reads through the engine's read model
 * ({@code engine.read}): never entities, the store, the dispatcher or SQL.
 */
class WebArchitectureTest {

    private static final JavaClasses WEB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.dukequeue.web");

    /**
     * The engine classes the web module names besides the read model, each with why. Compiled code shows none of them
     * (a constant is inlined, the others are class names in strings), so {@link #theEngineIsNamedOnlyWhereAllowed}
     * checks the sources, and that every class they name exists: a class that moves fails it here, not at run time.
     */
    private static final Map<String, String> ALLOWED_ENGINE_NAMES = Map.of(
            "dev.dukequeue.engine.retention.RetentionHandler",
            "POST /jobs/purge submits the retention job by its handler's TYPE (a job like any other)",
            "dev.dukequeue.engine.database.ConfiguredDataSource",
            "MicroDataSource declares java:app/jdbc/dukequeue with it, by class name (@DataSourceDefinition)",
            "dev.dukequeue.engine.database.BatchRepositoryDataSource",
            "the runnable jar's post-boot commands make Payara's batch repository pool of it, by class name");

    @Test
    void webUsesTheApiAndTheAdminServiceOnly() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.dukequeue.engine.job..",
                        "dev.dukequeue.engine.store..", "dev.dukequeue.engine.dispatch..", "jakarta.persistence..",
                        "java.sql..")
                .check(WEB);
    }

    @Test
    void webDependsOnTheApiAndTheReadModelOnly() {
        assertThat(WEB).as("classes imported").hasSizeGreaterThan(20);
        classes().should().onlyDependOnClassesThat(or(
                        resideInAnyPackage("dev.dukequeue", "dev.dukequeue.web..", "dev.dukequeue.engine.read.."),
                        resideInAnyPackage("java..", "jakarta..", "org.eclipse.microprofile..")))
                .because("admin-web depends on queue-api and the engine's read model only (issue 16)")
                .check(WEB);
    }

    @Test
    void theEngineIsNamedOnlyWhereAllowed() throws IOException {
        Pattern engineName = Pattern.compile("dev\\.dukequeue\\.engine\\.(?:[a-z0-9_]+\\.)+[A-Z][A-Za-z0-9_]*");
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = engineName.matcher(Files.readString(file));
                while (m.find()) {
                    named.add(m.group());
                }
            }
        }
        assertThat(named).as("engine classes named in src/main").isNotEmpty()
                .allSatisfy(name -> assertThat(name.startsWith("dev.dukequeue.engine.read.")
                        || ALLOWED_ENGINE_NAMES.containsKey(name))
                        .as("%s: admin-web names the read model only, or an allowed exception", name).isTrue());
        assertThat(ALLOWED_ENGINE_NAMES.keySet()).as("allowed exceptions still in use").allMatch(named::contains);
        // A name in a string compiles whatever it says: the class must exist where it is named.
        assertThat(named).allSatisfy(name -> assertThat(exists(name)).as("%s exists", name).isTrue());
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, WebArchitectureTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
