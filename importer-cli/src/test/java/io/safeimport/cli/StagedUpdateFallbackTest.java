package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On MariaDB, changed rows go through a temporary staging table. A database user without the
 * {@code CREATE TEMPORARY TABLES} privilege still imports and rolls back: the server's refusal
 * leaves the transaction as it was, and the rows are updated with statements instead.
 */
class StagedUpdateFallbackTest {
    @TempDir
    Path dir;

    @Test
    void aUserWithoutTemporaryTablesUpdatesWithStatementsAndRollsBackExactly() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            UsersImportTest.orgStructure(db);
            String user = "si_notemp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            String password = UUID.randomUUID().toString();
            String schema = db.settings().url().substring(db.settings().url().lastIndexOf('/') + 1);
            for (String host : List.of("localhost", "127.0.0.1", "%")) {
                db.execute("CREATE USER '" + user + "'@'" + host + "' IDENTIFIED BY '" + password + "'",
                        "GRANT ALL PRIVILEGES ON " + schema + ".* TO '" + user + "'@'" + host + "'",
                        "REVOKE CREATE TEMPORARY TABLES ON " + schema + ".* FROM '" + user + "'@'" + host + "'");
            }
            try {
                Path passwordFile = dir.resolve("password");
                Files.writeString(passwordFile, password + "\n");
                int n = 120;
                List<String> first = new ArrayList<>(List.of(UsersImportTest.HEADER));
                List<String> second = new ArrayList<>(List.of(UsersImportTest.HEADER));
                for (int i = 0; i < n; i++) {
                    String email = String.format("u%03d@acme.example", i);
                    first.add(email + ",First" + i + ",Last" + i + ",Engineer,Payments,Backend,ENG,1,,2020-01-15,true");
                    second.add(email + ",First" + i + ",Last" + i + ",Senior Engineer,Platform,Backend,ENG,2,,2020-01-15,true");
                }
                Cli cli = new Cli(db, dir);
                assertEquals(0, run(db, user, passwordFile, "import", "users", "--csv",
                        cli.csv("first.csv", first.toArray(String[]::new)).toString()).exit());
                Map<String, String> before = UsersImportTest.referenceState(db);
                Cli.Result r = run(db, user, passwordFile, "import", "users", "--csv",
                        cli.csv("second.csv", second.toArray(String[]::new)).toString(), "--force-update", "--output", "json");
                assertEquals(0, r.exit(), r.toString());
                assertEquals(n, r.json().get("counts").get("update").asInt(), r.toString());
                assertEquals(n, db.count("app_user WHERE title = 'Senior Engineer'"));
                assertEquals(n, db.rows("SELECT u.id FROM app_user u JOIN team t ON t.id = u.team_id WHERE t.team = 'Platform'").size());
                String log = Files.readString(Path.of(r.json().get("log_file").asText()));
                assertTrue(log.contains("apply.update.staged=") && log.contains("apply.update.statements="),
                        "the staging table was tried, refused by the server, and the rows updated with statements: " + log);
                Cli.Result back = run(db, user, passwordFile, "rollback", r.json().get("snapshot_id").asText(), "--yes", "--output", "json");
                assertEquals(0, back.exit(), back.toString());
                assertEquals(before, UsersImportTest.referenceState(db), "the rollback restores every row exactly");
                assertTrue(Files.readString(Path.of(back.json().get("log_file").asText())).contains("apply.update.statements="),
                        "the rollback restored with statements");
            } finally {
                for (String host : List.of("localhost", "127.0.0.1", "%")) {
                    db.execute("DROP USER IF EXISTS '" + user + "'@'" + host + "'");
                }
            }
        }
    }

    private Cli.Result run(TestDatabase db, String user, Path passwordFile, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.settings().url(), "--db-user", user,
                "--db-password-file", passwordFile.toString(),
                "--snapshot-dir", dir.resolve("snapshots").toString(), "--log-dir", dir.resolve("logs").toString()));
        all.addAll(List.of(args));
        return Cli.raw(all.toArray(String[]::new));
    }
}
