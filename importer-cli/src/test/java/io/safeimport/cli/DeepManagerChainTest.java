package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;

/**
 * A management chain as deep as the file, each person listed before their manager: every manager
 * is set right, and the rows go in a few statements per chunk, not one statement per row (a
 * 150,000-deep chain once took 288 s of a 6.5 min run in single-row LOAD DATA statements).
 */
class DeepManagerChainTest {
    private static final int ROWS = 6_000;

    @TempDir
    Path dir;

    private Path chain() throws IOException {
        Path f = dir.resolve("chain.csv");
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write(UsersImportTest.HEADER + "\n");
            for (int i = 0; i < ROWS; i++) {
                String manager = i + 1 < ROWS ? "p" + (i + 1) + "@acme.example" : "";
                w.write("p" + i + "@acme.example,P" + i + ",Chain,,Payments,,,," + manager + ",,\n");
            }
        }
        return f;
    }

    /** Statements that insert rows, server-wide (MariaDB's own counters). */
    private static long insertStatements(Handle h) {
        return h.createQuery("SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME IN ('COM_LOAD', 'COM_INSERT')").mapTo(Long.class).one();
    }

    @EveryDatabase
    void aChainAsDeepAsTheFileIsInsertedInAFewStatementsWithEveryManagerRight(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Path csv = chain();
        Cli cli = new Cli(db, dir);
        boolean server = TestDatabase.MARIADB.equals(db.kind());
        long before = 0;
        if (server) {
            try (Handle h = db.database().open()) {
                before = insertStatements(h);
            }
        }
        Cli.Result r = cli.run("import", "users", "--csv", csv.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        if (server) {
            try (Handle h = db.database().open()) {
                long statements = insertStatements(h) - before;
                // 3 chunks of 2,000 rows: a few statements each (and the run's own records), not 6,000
                assertTrue(statements < 100, statements + " insert statements for a " + ROWS + "-deep chain");
            }
        }
        try (Handle h = db.database().open()) {
            Map<String, String> managerOf = new HashMap<>();
            h.createQuery("SELECT u.email AS e, m.email AS m FROM app_user u LEFT JOIN app_user m ON m.id = u.manager_id")
                    .map((rs, ctx) -> Map.entry(rs.getString("e"), String.valueOf(rs.getString("m"))))
                    .forEach(e -> managerOf.put(e.getKey(), e.getValue()));
            assertEquals(ROWS, managerOf.size());
            for (int i = 0; i < ROWS; i++) {
                assertEquals(i + 1 < ROWS ? "p" + (i + 1) + "@acme.example" : "null", managerOf.get("p" + i + "@acme.example"), "p" + i);
            }
        }
        Cli.Result again = cli.run("import", "users", "--csv", csv.toString(), "--output", "json");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(ROWS, again.json().get("counts").get("unchanged").asInt(), "a re-import finds every row as it left it");
    }
}
