package dev.dukequeue.engine.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    @Test
    void everyDialectShipsEveryMigration() {
        for (SqlDialect d : SqlDialect.values()) {
            for (String file : SchemaMigrator.MIGRATIONS) {
                String text = SchemaMigrator.read(d, file);
                assertThat(text).as(d + "/" + file).isNotBlank();
                // Schema changes only (a version may have nothing to do on a database: PostgreSQL-only indexes).
                assertThat(SchemaMigrator.statements(text)).as(d + "/" + file)
                        .allSatisfy(st -> assertThat(st).matches("(?is)(CREATE|ALTER|DROP)\\s.*"));
            }
        }
    }

    @Test
    void splitsStatementsAtLineEndSemicolonsAndDropsComments() {
        assertThat(SchemaMigrator.statements("-- header\nCREATE TABLE a (x INT);\n\nCREATE INDEX i\n  ON a (x);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX i\n  ON a (x)");
    }

    @Test
    void versionComesFromTheFileName() {
        assertThat(SchemaMigrator.version("V1__jobs.sql")).isEqualTo(1);
        assertThat(SchemaMigrator.version("V12__more.sql")).isEqualTo(12);
    }
}
