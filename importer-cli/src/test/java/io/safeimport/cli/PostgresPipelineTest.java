package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.internal.db.PostgresDialect;
import io.safeimport.internal.pipeline.ImportLock;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first slice of PostgreSQL as a target (issue 19), end to end through the CLI: migrate, a
 * users import as a dry-run and for real, blanks never erasing, an exact rollback, the import lock
 * and {@code validate}. Skipped when no PostgreSQL server answers (see {@link TestDatabase}).
 */
class PostgresPipelineTest {
    @TempDir
    Path dir;

    @Test
    void migrateImportDryRunApplyRollbackLockAndValidate() {
        try (TestDatabase db = TestDatabase.createEmpty(TestDatabase.POSTGRES)) {
            Cli cli = new Cli(db, dir);
            Cli.Result migrate = cli.run("db", "migrate");
            assertEquals(0, migrate.exit(), migrate.toString());
            UsersImportTest.orgStructure(db);

            Path a = cli.csv("a.csv", UsersImportTest.HEADER,
                    "Ann@Acme.example,Ann,Lee,Engineer,Payments,Backend,ENG,2,boss@acme.example,2020-01-15,true",
                    "bob@acme.example,Bob,\"O'Neil, Jr.\",\"Engineer, Platform\",Platform,Backend,ENG,1,boss@acme.example,2021-03-01,yes",
                    "BOSS@acme.example,Zoë,Łukasiewicz,Head of Engineering,Platform,,ENG,3,,2019-05-20,1");
            Map<String, String> empty = db.state();
            Cli.Result dry = cli.run("import", "users", "--csv", a.toString(), "--dry-run", "--output", "json");
            assertEquals(0, dry.exit(), dry.toString());
            assertEquals(3, dry.json().get("counts").get("insert").asInt(), dry.toString());
            assertEquals(empty, db.state(), "a dry-run changes nothing, identity sequences and run table included");

            Cli.Result apply = cli.run("import", "users", "--csv", a.toString(), "--output", "json");
            assertEquals(0, apply.exit(), apply.toString());
            assertEquals("committed", apply.json().get("status").asText());
            assertEquals(3, db.count("app_user"));
            assertEquals("boss@acme.example", db.rows("SELECT m.email AS manager FROM app_user u JOIN app_user m ON m.id = u.manager_id"
                    + " WHERE u.email = 'ann@acme.example'").get(0).get("manager"), "emails lower-cased; a later manager resolves");
            assertEquals(Boolean.TRUE, db.rows("SELECT active FROM app_user WHERE email = 'bob@acme.example'").get(0).get("active"));
            Map<String, String> afterA = UsersImportTest.referenceState(db);

            Path b = cli.csv("b.csv", UsersImportTest.HEADER,
                    "ANN@acme.example ,Ann,Lee,Senior Engineer,,,,,,,",
                    "carl@acme.example,Carl,Ndiaye,Engineer,Payments,,ENG,1,ann@acme.example,2024-02-01,true");
            Cli.Result rb = cli.run("import", "users", "--csv", b.toString(), "--snapshot", "full", "--output", "json");
            assertEquals(0, rb.exit(), rb.toString());
            JsonNode jb = rb.json();
            assertEquals(1, jb.get("counts").get("insert").asInt(), rb.toString());
            assertEquals(1, jb.get("counts").get("update").asInt(), rb.toString());
            Map<String, Object> ann = db.rows("SELECT u.title, u.hired_on, t.team, m.email AS manager FROM app_user u"
                    + " JOIN team t ON t.id = u.team_id JOIN app_user m ON m.id = u.manager_id WHERE u.email = 'ann@acme.example'").get(0);
            assertEquals("Senior Engineer", ann.get("title"));
            assertEquals("Payments", ann.get("team"), "a blank cell never erases");
            assertEquals("boss@acme.example", ann.get("manager"), "a blank cell never erases");
            assertEquals(Date.valueOf("2020-01-15"), ann.get("hired_on"), "a blank cell never erases");
            assertNotEquals(afterA, UsersImportTest.referenceState(db));

            String snapshot = jb.get("snapshot_id").asText();
            assertTrue(Files.exists(dir.resolve("snapshots").resolve(snapshot).resolve(
                    SnapshotStore.FULL)), "the whole tables were dumped");
            assertEquals(0, cli.run("snapshots", "verify", snapshot).exit());
            Cli.Result rr = cli.run("rollback", snapshot, "--yes", "--output", "json");
            assertEquals(0, rr.exit(), rr.toString());
            assertEquals("restored", rr.json().get("status").asText(), rr.toString());
            assertEquals(afterA, UsersImportTest.referenceState(db), "every reference table is identical to the state after A");

            Cli.Result validate = cli.run("validate", "--output", "json");
            assertEquals(0, validate.exit(), validate.toString());

            try (Handle holder = db.database().open()) {
                String name = ImportLock.name(holder);
                assertTrue(holder.createQuery("SELECT pg_try_advisory_lock(:k)").bind("k", PostgresDialect.lockKey(name))
                        .mapTo(Boolean.class).one());
                Map<String, String> before = db.state();
                Cli.Result busy = cli.run("import", "users", "--csv", b.toString(), "--output", "json");
                assertEquals(4, busy.exit(), busy.toString());
                String message = busy.json().get("message").asText();
                assertTrue(message.contains("(database backend "), message);
                assertEquals(before, db.state());
                Cli.Result waited = cli.run("--wait", "1", "import", "users", "--csv", b.toString(), "--output", "json");
                assertEquals(4, waited.exit(), waited.toString());
                assertTrue(waited.json().get("message").asText().contains("did not release it within 1 s"), waited.toString());
            }
            Cli.Result free = cli.run("import", "users", "--csv", b.toString(), "--output", "json");
            assertEquals(0, free.exit(), "the lock is free once its session ends: " + free);
        }
    }

    @Test
    void theSampleBatchImportsValidatesReimportsUnchangedAndRollsBack() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES)) {
            Cli cli = new Cli(db, dir);
            Map<String, String> empty = db.state();
            Map<String, String> emptyReference = UsersImportTest.referenceState(db);
            Cli.Result dry = cli.run("import", "all", "--dir", ImportAllTest.SAMPLES.toString(), "--dry-run", "--output", "json");
            assertEquals(0, dry.exit(), dry.toString());
            assertEquals(empty, db.state(), "a dry-run of the whole batch changes nothing");

            Cli.Result r = cli.run("import", "all", "--dir", ImportAllTest.SAMPLES.toString(), "--output", "json");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(45, db.count("app_user"));
            assertEquals(7, db.count("team"));
            assertEquals(89, db.count("timeline_event"));
            assertTrue(db.count("compensation_snapshot") > 0 && db.count("seniority_snapshot") > 0);
            assertEquals(0L, db.rows("SELECT COUNT(*) AS n FROM team WHERE leader_id IS NULL").get(0).get("n"),
                    "leaders named before their users exist are resolved");
            Cli.Result validate = cli.run("validate", "--output", "json");
            assertEquals(0, validate.exit(), validate.toString());

            Map<String, String> after = db.state();
            Cli.Result again = cli.run("import", "all", "--dir", ImportAllTest.SAMPLES.toString(), "--output", "json");
            assertEquals(0, again.exit(), again.toString());
            assertEquals(0, again.json().get("counts").get("insert").asInt(), again.toString());
            assertEquals(0, again.json().get("counts").get("update").asInt(), again.toString());
            assertEquals(after, db.state(), "a second identical import changes nothing");

            Cli.Result rb = cli.run("rollback", r.json().get("snapshot_id").asText(), "--yes", "--output", "json");
            assertEquals(0, rb.exit(), rb.toString());
            assertEquals(emptyReference, UsersImportTest.referenceState(db), "one rollback undoes the whole batch");
        }
    }

    /** The whole-table dump reads in a transaction of its own (PostgreSQL streams only there); the same on every database. */
    @EveryDatabase
    void aFullSnapshotIsTakenAndRolledBackOnEveryDatabase(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Map<String, String> before = UsersImportTest.referenceState(db);
        Path a = cli.csv("a.csv", UsersImportTest.HEADER,
                "ann@acme.example,Ann,Lee,Engineer,Payments,Backend,ENG,2,,2020-01-15,true");
        Cli.Result r = cli.run("import", "users", "--csv", a.toString(), "--snapshot", "full", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        String snapshot = r.json().get("snapshot_id").asText();
        assertTrue(Files.exists(dir.resolve("snapshots").resolve(snapshot)
                .resolve(SnapshotStore.FULL)));
        assertEquals(0, cli.run("snapshots", "verify", snapshot).exit());
        Cli.Result rb = cli.run("rollback", snapshot, "--yes", "--output", "json");
        assertEquals(0, rb.exit(), rb.toString());
        assertEquals(before, UsersImportTest.referenceState(db));
    }

    /**
     * A value a narrowed column refuses (SQLSTATE 22001) is exit 5, not someone else's write. PostgreSQL's message does
     * not name the column ("value too long for type character varying(10)"), unlike MySQL's and H2's: the refusal names
     * the table, the type, and the column written with a text longer than that.
     */
    @Test
    void aValueTheDatabaseRefusesIsExit5NamingTheTable() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES)) {
            db.execute("INSERT INTO ladder (ladder, title) VALUES ('OPS', 'Ops')", "ALTER TABLE ladder ALTER COLUMN title TYPE VARCHAR(10)");
            Cli cli = new Cli(db, dir);
            Map<String, String> before = UsersImportTest.referenceState(db);
            for (String line : List.of("ENG,A title longer than ten characters", "OPS,A title longer than ten characters")) {
                Cli.Result r = cli.run("import", "ladders", "--csv", cli.csv("ladders.csv", "ladder,title", line).toString(), "--output", "json");
                assertEquals(5, r.exit(), r.toString());
                String message = r.json().get("message").asText();
                assertTrue(message.contains("would not store a value of ladder") && message.contains("character varying(10)")
                        && message.contains("in column title"), message);
                assertEquals(before, UsersImportTest.referenceState(db), "nothing written");
            }
        }
    }
}
