package dev.dukequeue.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every native SQL statement of the engine is named in a catalogue: {@code store.JobSql} (jobs, queues, schedules),
 * {@code store.ClusterSql} (nodes, activity), {@code store.IndexSql} (the index upkeep), {@code read.ListingSql} (the listing of every state on PostgreSQL) and {@code database.DatabaseSql} (schema history, migration locks,
 * {@code LISTEN}, the batch repository). This reads the engine's main sources and fails on a string literal anywhere
 * else that is SQL: one that starts with a statement keyword (SELECT, INSERT, UPDATE, DELETE, WITH, LOCK, CREATE,
 * ALTER, DROP, MERGE, TRUNCATE, NOTIFY, LISTEN) or a clause keyword (a fragment appended to a statement: AND, OR,
 * WHERE, FROM, JOIN, GROUP BY, ORDER BY, LIMIT, VALUES, SET, RETURNING, FOR UPDATE, ON CONFLICT), or that names one of
 * the queue's tables ({@code dq_...}) inside a longer text.
 *
 * <p><b>JPQL is not native SQL.</b> The JPA read side (the entities' named queries, the read model's searches) writes
 * JPQL, which ranges over entities ({@code FROM JobEntity j}), not tables. A literal counts as JPQL when its class uses
 * JPA (imports {@code jakarta.persistence}), the literal names no table ({@code dq_...}) and the class never calls
 * {@code createNativeQuery}: a native query written there is still caught. A literal that is only a table's name
 * ({@code @Table(name = "dq_job")}) is a mapping, not a statement. The dialect's SQL expressions ({@code SqlDialect}:
 * the clock, time arithmetic) start with none of the keywords and are the dialect's by design.
 */
class SqlCatalogueTest {

    private static final Set<String> CATALOGUES = Set.of("dev/dukequeue/engine/store/JobSql.java",
            "dev/dukequeue/engine/store/ClusterSql.java", "dev/dukequeue/engine/store/IndexSql.java",
            "dev/dukequeue/engine/database/DatabaseSql.java", "dev/dukequeue/engine/read/ListingSql.java");

    private static final Pattern SQL = Pattern.compile("^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH|LOCK|CREATE|ALTER|DROP"
            + "|MERGE|TRUNCATE|NOTIFY|LISTEN|AND|OR|WHERE|FROM|JOIN|GROUP BY|ORDER BY|LIMIT|VALUES|SET|RETURNING"
            + "|FOR UPDATE|ON CONFLICT)(\\s|\\(|$).*", Pattern.DOTALL);
    private static final Pattern TABLE = Pattern.compile("\\bdq_\\w+");
    private static final Pattern TABLE_NAME_ONLY = Pattern.compile("dq_\\w+");

    private static final Path MAIN = Path.of(System.getProperty("basedir", "."), "src/main/java");

    @Test
    void nativeSqlIsOnlyInTheCatalogues() throws IOException {
        List<String> outside = new ArrayList<>();
        int inCatalogues = 0;
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = MAIN.relativize(file).toString().replace('\\', '/');
                String source = Files.readString(file, StandardCharsets.UTF_8);
                boolean jpa = source.contains("import jakarta.persistence") && !source.contains("createNativeQuery");
                for (String literal : literals(source)) {
                    if (!isSql(literal, jpa)) {
                        continue;
                    }
                    if (CATALOGUES.contains(name)) {
                        inCatalogues++;
                    } else {
                        outside.add(name + ": \"" + literal + "\"");
                    }
                }
            }
        }
        // The scan must see the statements it guards, or it would pass on a wrong directory or a broken lexer.
        assertThat(inCatalogues).as("SQL literals found in the catalogues").isGreaterThan(80);
        assertThat(outside).as("native SQL outside JobSql, ClusterSql, IndexSql, ListingSql and DatabaseSql").isEmpty();
    }

    @Test
    void theRulesTellSqlFromJpqlAndFromProse() {
        assertThat(isSql("SELECT id FROM dq_job WHERE id = ?", false)).isTrue();
        assertThat(isSql(" AND queue = ?", false)).isTrue();
        assertThat(isSql("NOTIFY ", false)).isTrue();
        assertThat(isSql("the rows of dq_job that", false)).isTrue();
        assertThat(isSql("SELECT id FROM dq_job", true)).as("native SQL in a JPA class").isTrue();
        assertThat(isSql("SELECT j FROM JobEntity j WHERE 1 = 1", true)).as("JPQL").isFalse();
        assertThat(isSql(" ORDER BY j.seq DESC", true)).as("a JPQL fragment").isFalse();
        assertThat(isSql("dq_job", false)).as("a table mapping").isFalse();
        assertThat(isSql("selecting jobs to re-drive", false)).isFalse();
        assertThat(isSql("SELECTED", false)).isFalse();
        assertThat(literals("a(\"x\\\"y\"); // \"SELECT 1\"\n/* \"DELETE\" */ char c = '\"'; s = \"\"\"\n  LOCK t\n  \"\"\";"))
                .containsExactly("x\\\"y", "  LOCK t\n  ");
    }

    private static boolean isSql(String literal, boolean jpaClass) {
        boolean namesTable = TABLE.matcher(literal).find();
        if (TABLE_NAME_ONLY.matcher(literal).matches()) {
            return false;
        }
        if (jpaClass && !namesTable) {
            return false; // JPQL: see the class comment
        }
        return SQL.matcher(literal).matches() || namesTable;
    }

    /** The string literals (text blocks included) of a Java source, outside comments and character literals. */
    private static List<String> literals(String s) {
        List<String> found = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (s.startsWith("//", i)) {
                i = s.indexOf('\n', i);
                i = i < 0 ? s.length() : i;
            } else if (s.startsWith("/*", i)) {
                i = s.indexOf("*/", i + 2) + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                found.add(s.substring(s.indexOf('\n', i) + 1, end));
                i = end + 3;
            } else if (ch == '"' || ch == '\'') {
                int j = i + 1;
                while (s.charAt(j) != ch) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                if (ch == '"') {
                    found.add(s.substring(i + 1, j));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return found;
    }
}
