package io.safeimport.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.catalog.CatalogReader;
import io.safeimport.internal.catalog.TableInfo;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.ForeignSchemas;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConfigCheck} against tables safeimport did not create ({@link ForeignSchemas}), on every database. */
class ConfigCheckTest {
    /** One importer per kind of problem (each marked with the problem it has). */
    static final String MISFIT = """
            importers:
              groups:
                table: accounts_group
                key: [name]
                columns:
                  name: name
                  owner: {column: owner_id, ref: accounts_org.name}
              people:
                table: accounts_user
                key: [full_name]
                columns:
                  email: {column: email}
                  full_name: full_name
                  nick: nickname
                  salary: {column: salary, format: email}
                  team: {column: team_id, ref: accounts_team.nope}
                  manager: {column: manager_id, ref: accounts_user.full_name}
                checks:
                  - code: no_sql
                  - sql: SELECT 1
              job_hist:
                table: job_history
                key: [employee, start]
                columns:
                  start: start_date
                  job: {column: job_id, ref: jobs.job_id}
                  job_code: job_id
            """;

    @TempDir
    Path dir;

    private SafeImportConfig config(String text) {
        try {
            return ConfigFile.read(Files.writeString(dir.resolve("safeimport.yml"), text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Problem> check(TestDatabase db, SafeImportConfig cfg) {
        try (Handle h = db.database().open()) {
            CatalogReader reader = new CatalogReader();
            return ConfigCheck.check(cfg, table -> read(reader, h, table));
        }
    }

    private static Optional<TableInfo> read(CatalogReader reader, Handle h, String table) {
        try {
            return reader.read(h.getConnection(), table);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @EveryDatabase(migrated = false)
    void aConfigThatFitsHasNoProblem(TestDatabase db) {
        ForeignSchemas.create(db);
        assertEquals(List.of(), check(db, config(ConfigFileTest.USABLE)));
    }

    @EveryDatabase(migrated = false)
    void everyProblemIsListedAtOnceNamingTheLineOrTheTable(TestDatabase db) {
        ForeignSchemas.create(db);
        List<String> p = check(db, config(MISFIT)).stream().map(Problem::toString).toList();
        List<String> expected = List.of(
                "safeimport.yml:3: importer groups: table accounts_group does not exist in the database",
                "safeimport.yml:7: importer groups: ref accounts_org.name: table accounts_org does not exist in the database",
                "safeimport.yml:14: importer people: CSV column nick goes to accounts_user.nickname, which does not exist",
                "safeimport.yml:15: importer people: format: email on accounts_user.salary, which is not a text column",
                "safeimport.yml:16: importer people: ref accounts_team.nope: column nope does not exist in accounts_team",
                "safeimport.yml:17: importer people: ref accounts_user.full_name: full_name is neither the primary key of"
                        + " accounts_user nor has a unique index of its own",
                "safeimport.yml:10: importer people: key (full_name) is accounts_user (full_name), which is neither the primary key"
                        + " nor exactly a unique index, so it does not identify one row: add a unique index on accounts_user"
                        + " (full_name) or choose key columns that have one",
                "safeimport.yml:19: importer people: a check has no sql:",
                "safeimport.yml:20: importer people: a check has no code:",
                "safeimport.yml:23: importer job_hist: key names employee, which is not a CSV column under columns:",
                "safeimport.yml:27: importer job_hist: CSV columns job and job_code both go to job_history.job_id",
                "table job_history: primary-key column employee_id is not auto-increment and no CSV column of importer job_hist fills it",
                "table job_history: column end_date is NOT NULL without a default and no CSV column of importer job_hist fills it");
        assertEquals(expected.size(), p.size(), String.join("\n", p));
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(p.get(i).startsWith(expected.get(i)), "expected\n" + expected.get(i) + "\nbut was\n" + p.get(i));
        }
    }

    @EveryDatabase(migrated = false)
    void aKeyIsUsableOnceItHasAUniqueIndexAndAColumnOnceItIsFilled(TestDatabase db) {
        ForeignSchemas.create(db);
        String people = """
                importers:
                  people:
                    table: accounts_user
                    key: [name]
                    columns:
                      name: full_name
                      mail: email
                      team: team_id
                """;
        List<Problem> before = check(db, config(people));
        assertEquals(1, before.size(), before.toString());
        assertEquals(OptionalInt.of(4), before.get(0).line());
        db.execute("CREATE UNIQUE INDEX accounts_user_full_name ON accounts_user (full_name)");
        assertEquals(List.of(), check(db, config(people)));

        List<Problem> unfilled = check(db, config(people.replace("      team: team_id\n", "")));
        assertEquals(List.of(new Problem("table accounts_user", "column team_id is NOT NULL without a default and no CSV column"
                + " of importer people fills it: map a CSV column to it, or give it a default")), unfilled);
        assertEquals(OptionalInt.empty(), unfilled.get(0).line());
    }
}
