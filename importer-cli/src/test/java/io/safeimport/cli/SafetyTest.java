package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import io.safeimport.internal.db.DbSettings;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan/apply, drift, snapshot integrity, bad input at scale, locks and secrets. */
class SafetyTest {
    static final String H = UsersImportTest.HEADER;

    @TempDir
    Path dir;

    private Cli seeded(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        return new Cli(db, dir);
    }

    private Path users(Cli cli, String name, String... rows) {
        String[] lines = new String[rows.length + 1];
        lines[0] = H;
        System.arraycopy(rows, 0, lines, 1, rows.length);
        return cli.csv(name, lines);
    }

    @EveryDatabase
    void savedPlanIsAppliedExactlyAndRefusedWhenTheCsvOrTheDatabaseChanged(TestDatabase db) throws IOException {
        Cli cli = seeded(db);
        Path f = users(cli, "u.csv", "ann@acme.example,Ann,Lee,Engineer,Payments,,,,,,", "bob@acme.example,Bob,Ray,,,,,,,,");
        Path plan = dir.resolve("plan.jsonl.gz");
        Cli.Result dry = cli.run("import", "users", "--csv", f.toString(), "--dry-run", "--plan-out", plan.toString(), "--output", "json");
        assertEquals(0, dry.exit(), dry.toString());
        assertTrue(Files.exists(plan));

        Map<String, String> before = db.state();
        Path other = users(cli, "u2.csv", "ann@acme.example,Ann,Lee,Engineer,Payments,,,,,,", "bob@acme.example,Bob,Rey,,,,,,,,");
        Cli.Result csvChanged = cli.run("import", "users", "--csv", other.toString(), "--plan", plan.toString(), "--output", "json");
        assertEquals(5, csvChanged.exit(), csvChanged.toString());
        assertEquals(before, db.state());

        db.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('bob@acme.example', 'Bob', 'Elsewhere')");
        Map<String, String> drifted = db.state();
        Cli.Result dbChanged = cli.run("import", "users", "--csv", f.toString(), "--plan", plan.toString(), "--output", "json");
        assertEquals(5, dbChanged.exit(), dbChanged.toString());
        assertTrue(dbChanged.json().get("message").asText().contains("bob@acme.example"), dbChanged.toString());
        assertEquals(drifted, db.state());

        db.execute("DELETE FROM app_user WHERE email = 'bob@acme.example'");
        Cli.Result ok = cli.run("import", "users", "--csv", f.toString(), "--plan", plan.toString(), "--output", "json");
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals(2, ok.json().get("counts").get("insert").asInt(), "exactly the planned counts");
    }

    @EveryDatabase
    void rollbackRefusesRowsChangedSinceUnlessForcedAndCanItselfBeRolledBack(TestDatabase db) {
        Cli cli = seeded(db);
        Map<String, String> empty = UsersImportTest.referenceState(db);
        Path f = users(cli, "u.csv", "ann@acme.example,Ann,Lee,Engineer,,,,,,,", "bob@acme.example,Bob,Ray,,,,,,,,");
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        String snapshot = r.json().get("snapshot_id").asText();
        db.execute("UPDATE app_user SET title = 'Edited by hand' WHERE email = 'ann@acme.example'");
        Map<String, String> edited = UsersImportTest.referenceState(db);

        Cli.Result refused = cli.run("rollback", snapshot, "--yes", "--output", "json");
        assertEquals(5, refused.exit(), refused.toString());
        assertTrue(refused.json().get("message").asText().contains("ann@acme.example"), "names the changed row: " + refused);
        assertEquals(edited, UsersImportTest.referenceState(db));

        Cli.Result forced = cli.run("rollback", snapshot, "--yes", "--force", "--output", "json");
        assertEquals(0, forced.exit(), forced.toString());
        assertEquals(empty, UsersImportTest.referenceState(db));
        String safety = forced.json().get("safety_snapshot_id").asText();

        Cli.Result undo = cli.run("rollback", safety, "--yes", "--output", "json");
        assertEquals(0, undo.exit(), undo.toString());
        assertEquals(edited, UsersImportTest.referenceState(db), "the rollback's safety snapshot puts back the hand edit too");
    }

    @EveryDatabase
    void damagedSnapshotsAreRefusedAndIdsAreValidatedBeforeTouchingFiles(TestDatabase db) throws IOException {
        Cli cli = seeded(db);
        Cli.Result r = cli.run("import", "users", "--csv", users(cli, "u.csv", "ann@acme.example,Ann,Lee,,,,,,,,").toString(), "--output", "json");
        String snapshot = r.json().get("snapshot_id").asText();
        Path changes = dir.resolve("snapshots").resolve(snapshot).resolve("changes.jsonl.gz");
        byte[] bytes = Files.readAllBytes(changes);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(changes, bytes);
        Cli.Result verify = cli.run("snapshots", "verify", snapshot);
        assertEquals(5, verify.exit(), verify.toString());
        Map<String, String> state = db.state();
        Cli.Result rb = cli.run("rollback", snapshot, "--yes");
        assertEquals(5, rb.exit(), rb.toString());
        assertEquals(state, db.state());

        for (String bad : List.of("../../etc/passwd", "20261122T000000Z-users-zzzzzz", "x")) {
            Cli.Result refused = cli.run("rollback", bad, "--yes");
            assertEquals(2, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("not a snapshot ID"), refused.toString());
            assertEquals(2, cli.run("snapshots", "show", bad).exit());
        }
    }

    @EveryDatabase
    void maxErrorsSkipsBadRowsIntoANeutralisedRejectsFileAndAboveTheLimitWritesNothing(TestDatabase db) throws IOException {
        Cli cli = seeded(db);
        Path f = users(cli, "u.csv", "ann@acme.example,Ann,Lee,,,,,,,,", "=cmd|' /C calc'!A0,Evil,Row,,,,,,,,",
                "bob@acme.example,Bob,Ray,,Nowhere,,,,,,", "cy@acme.example,Cy,Ng,,,,,,,,");
        Map<String, String> before = db.state();
        Cli.Result over = cli.run("import", "users", "--csv", f.toString(), "--max-errors", "1", "--output", "json");
        assertEquals(1, over.exit(), over.toString());
        assertEquals(before, db.state(), "above N nothing is written");

        Cli.Result ok = cli.run("import", "users", "--csv", f.toString(), "--max-errors", "2", "--output", "json");
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals(2, ok.json().get("counts").get("insert").asInt());
        assertEquals(2, ok.json().get("counts").get("invalid").asInt());
        assertEquals(2, db.count("app_user"));
        Path rejects;
        try (Stream<Path> s = Files.list(dir.resolve("logs"))) {
            rejects = s.filter(p -> p.toString().endsWith(".rejects.csv") && p.toString().contains(ok.json().get("run_id").asText()))
                    .findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(rejects, StandardCharsets.UTF_8);
        assertEquals(H + ",error_line,error_code,error_message", lines.get(0));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("'=cmd|"), "a formula cell is neutralised: " + lines.get(1));
        assertTrue(lines.get(1).contains(",3,invalid_email,"), lines.get(1));
        assertTrue(lines.get(2).contains(",4,unknown_team,"), lines.get(2));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rejects)));
    }

    @EveryDatabase
    void rowsWithTheWrongNumberOfFieldsStayAlignedInTheRejectsFile(TestDatabase db) throws IOException {
        Cli cli = seeded(db);
        Path f = users(cli, "u.csv", "ann@acme.example,Ann,Lee,,,,,,,,", "short@acme.example,Short,3",
                "long@acme.example,Long,Row,,,,,,,,true,=surplus,\"with, comma\"", "cy@acme.example,Cy,Ng,,,,,,,,");
        Cli.Result ok = cli.run("import", "users", "--csv", f.toString(), "--max-errors", "2", "--output", "json");
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals(2, ok.json().get("counts").get("insert").asInt(), ok.toString());
        List<String[]> rows = rejects(ok.json().get("run_id").asText());
        String[] header = rows.get(0);
        int width = H.split(",").length;
        assertEquals(H + ",error_line,error_code,error_message,error_extra_fields", String.join(",", header));
        assertEquals(3, rows.size());
        for (String[] row : rows) {
            assertEquals(header.length, row.length, "every row as wide as the header: " + String.join("|", row));
        }
        String[] shortRow = rows.get(1);
        assertEquals(List.of("short@acme.example", "Short", "3", ""), List.of(shortRow).subList(0, 4));
        assertEquals("3", shortRow[width], "error_line under its header");
        assertEquals("field_count", shortRow[width + 1], "error_code under its header");
        assertTrue(shortRow[width + 2].contains("3 fields but the header has 11"), shortRow[width + 2]);
        assertEquals("", shortRow[width + 3]);
        String[] longRow = rows.get(2);
        assertEquals("long@acme.example", longRow[0]);
        assertEquals("true", longRow[width - 1]);
        assertEquals("4", longRow[width]);
        assertEquals("field_count", longRow[width + 1]);
        assertEquals("'=surplus,\"with, comma\"", longRow[width + 3], "the surplus kept as CSV, a formula neutralised");

        // a file without surplus fields keeps the header of DESIGN: original columns plus the three error columns
        Path g = users(cli, "v.csv", "dee@acme.example,Dee,Ko,,,,,,,,", "tiny@acme.example");
        Cli.Result padded = cli.run("import", "users", "--csv", g.toString(), "--max-errors", "1", "--output", "json");
        assertEquals(0, padded.exit(), padded.toString());
        List<String[]> only = rejects(padded.json().get("run_id").asText());
        assertEquals(H + ",error_line,error_code,error_message", String.join(",", only.get(0)));
        assertEquals(only.get(0).length, only.get(1).length);
        assertEquals("field_count", only.get(1)[width + 1]);
    }

    private List<String[]> rejects(String runId) throws IOException {
        Path file;
        try (Stream<Path> s = Files.list(dir.resolve("logs"))) {
            file = s.filter(p -> p.toString().endsWith(".rejects.csv") && p.toString().contains(runId)).findFirst().orElseThrow();
        }
        try (CSVReader r = new CSVReaderBuilder(Files.newBufferedReader(file, StandardCharsets.UTF_8))
                .withCSVParser(new RFC4180ParserBuilder().build()).build()) {
            return r.readAll();
        } catch (CsvException e) {
            throw new IOException(e);
        }
    }

    @EveryDatabase
    void aSnapshotThatCannotBeWrittenStopsTheImportBeforeAnyWrite(TestDatabase db) throws IOException {
        Cli cli = seeded(db);
        Path blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "x");
        Map<String, String> before = db.state();
        List<String> args = List.of("--snapshot-dir", blocker.resolve("snaps").toString(), "import", "users", "--csv",
                users(cli, "u.csv", "ann@acme.example,Ann,Lee,,,,,,,,").toString(), "--output", "json");
        Cli.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(5, r.exit(), r.toString());
        assertTrue(r.json().get("message").asText().contains("cannot write the snapshot under " + blocker.resolve("snaps")), r.toString());
        assertEquals(before, db.state());
    }

    @Test
    void aSecondRunIsRefusedWithExit4NamingTheLockHolderOnMariaDb() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            Cli cli = seeded(db);
            Path f = users(cli, "u.csv", "ann@acme.example,Ann,Lee,,,,,,,,");
            try (Handle holder = db.database().open()) {
                holder.createQuery("SELECT GET_LOCK(CONCAT('safeimport_import:', DATABASE()), 0)").mapTo(Integer.class).one();
                long connection = holder.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one();
                Map<String, String> before = db.state();
                Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
                assertEquals(4, r.exit(), r.toString());
                String message = r.json().get("message").asText();
                // no run recorded: the lock itself says who holds it (a session outside safeimport here)
                assertTrue(message.matches("another safeimport run holds the import lock on \\S+ \\(database connection " + connection
                        + " from \\S+ as user root, its last statement \\d+ s ago\\); wait for it to finish, or pass --wait SECONDS"),
                        message);
                assertEquals(before, db.state());
                Cli.Result waited = cli.run("--wait", "1", "import", "users", "--csv", f.toString(), "--output", "json");
                assertEquals(4, waited.exit(), waited.toString());
                assertTrue(waited.json().get("message").asText().contains("did not release it within 1 s"), waited.toString());
            }
            assertEquals(0, cli.run("import", "users", "--csv", f.toString()).exit(), "the lock is free once its session ends");
        }
    }

    @EveryDatabase
    void aSecondRunIsRefusedWithExit4NamingTheRunningImportItsCommandAndHowLongAtEveryStep(TestDatabase db) throws Exception {
        Cli cli = seeded(db);
        Path big = CrashSafetyTest.bigUsers(dir, TestDatabase.H2.equals(db.kind()) ? 8_000 : 20_000);
        Path small = users(cli, "u.csv", "ann@acme.example,Ann,Lee,,,,,,,,");
        try (Child child = Child.start(db, dir, dir.resolve("child-logs"), "import", "users", "--csv", big.toString())) {
            List<String> refusedAt = new ArrayList<>();
            for (String step : List.of("step=run recorded as running", "step=validate begin", "step=plan begin", "step=snapshot",
                    "step=apply begin")) {
                if (!child.awaitLog(step, Duration.ofSeconds(120))) {
                    continue; // the child went past it while the previous attempt ran
                }
                Cli.Result r = cli.run("import", "users", "--csv", small.toString(), "--output", "json");
                assertEquals(4, r.exit(), step + ": " + r);
                // on H2 the file is the running import's: refused while connecting, before a run (and its JSON) begins
                String message = r.out().isBlank() ? r.err().strip().replaceFirst("^safeimport: ", "") : r.json().get("message").asText();
                assertTrue(message.startsWith("another safeimport run holds the import lock on "), message);
                assertTrue(message.contains("(run " + child.runId() + " (safeimport ") && message.contains(" import users --csv " + big
                        + "; pid " + child.pid() + " on "), step + ": names the run, its command and process: " + message);
                assertTrue(Pattern.compile("started \\S+Z, running for \\d+ (s|min)").matcher(message).find(), message);
                assertTrue(r.out().isBlank() || "refused".equals(r.json().get("status").asText()), r.toString());
                refusedAt.add(step);
            }
            assertTrue(refusedAt.size() >= 3, "refused at " + refusedAt + "; child: " + child.output());
            Cli.Result waited = cli.run("--wait", "1", "import", "users", "--csv", small.toString(), "--output", "json");
            if (child.process.isAlive()) {
                assertEquals(4, waited.exit(), waited.toString());
                assertTrue((waited.out() + waited.err()).contains("did not release it within 1 s"), waited.toString());
            }
            assertEquals(0, child.await(Duration.ofSeconds(300)), "the running import never fails: " + child.output());
        }
        assertEquals(0, cli.run("import", "users", "--csv", small.toString()).exit(), "the lock is free once the run ended");
    }

    @EveryDatabase
    void besideARunningImportOtherCommandsAnswerOrExit4AndASecondImportWaitsWithWait(TestDatabase db) throws Exception {
        Cli cli = seeded(db);
        int rows = TestDatabase.H2.equals(db.kind()) ? 8_000 : 20_000;
        Path big = CrashSafetyTest.bigUsers(dir, rows);
        Path other = users(cli, "other.csv", "zed@acme.example,Zed,Ora,,,,,,,,");
        try (Child first = Child.start(db, dir, dir.resolve("first-logs"), "import", "users", "--csv", big.toString())) {
            assertTrue(first.awaitLog("step=run recorded as running", Duration.ofSeconds(120)), first.output());
            String runId = first.runId();
            try (Child second = Child.start(db, dir, dir.resolve("second-logs"), "--wait", "300", "import", "users",
                    "--csv", other.toString())) {
                int busy = 0;
                int answered = 0;
                while (first.process.isAlive()) {
                    for (String[] command : List.<String[]>of(new String[] {"runs", "list"}, new String[] {"validate"},
                            new String[] {"db", "status"})) {
                        Cli.Result r = cli.run(command);
                        assertFalse(r.err().contains("\tat ") || r.err().contains("90020"), r.toString());
                        if (r.exit() == 4) {
                            busy++;
                            assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
                            assertTrue(r.err().contains("holds the import lock") || r.err().contains("in use by another safeimport process"),
                                    r.toString());
                        } else {
                            assertEquals(0, r.exit(), String.join(" ", command) + ": " + r);
                            answered++;
                        }
                    }
                }
                assertEquals(0, first.await(Duration.ofSeconds(300)), "commands beside it never break the import: " + first.output());
                assertEquals(0, second.await(Duration.ofSeconds(300)), "the second import waited with --wait: " + second.output());
                if (TestDatabase.H2.equals(db.kind())) {
                    assertTrue(busy > 0, "the embedded file is the running import's: others get exit 4 (" + answered + " answered)");
                } else {
                    assertEquals(0, busy, "a server serves readers beside the import");
                }
            }
        }
        assertEquals(rows + 1, db.count("app_user"));
    }

    @EveryDatabase
    void aRunLeftRunningByADeadProcessIsMarkedInterruptedByTheNextRun(TestDatabase db) {
        Cli cli = seeded(db);
        db.execute("INSERT INTO safeimport_run (run_id, importer, mode, status, started_at) VALUES "
                + "('20260101T000000Z-users-abcdef', 'users', 'apply', 'running', CURRENT_TIMESTAMP)");
        Cli.Result r = cli.run("import", "users", "--csv", users(cli, "u.csv", "ann@acme.example,Ann,Lee,,,,,,,,").toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode runs = cli.run("runs", "list", "--output", "json").json().get("runs");
        boolean interrupted = false;
        for (JsonNode run : runs) {
            if (run.get("run_id").asText().equals("20260101T000000Z-users-abcdef")) {
                interrupted = "interrupted".equals(run.get("status").asText());
            }
        }
        assertTrue(interrupted, runs.toString());
    }

    @Test
    void wrongPasswordAndUnreachableServerAreExit6WithoutLeakingTheSecret() throws IOException {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "s3cr3t-Value\n");
        Cli.Result wrong = Cli.raw("--db", "jdbc:mysql://127.0.0.1:3306/mysql", "--db-user", "nobody_here", "--db-password-file", pw.toString(),
                "--log-dir", dir.resolve("logs").toString(), "db", "status");
        assertEquals(6, wrong.exit(), wrong.toString());
        assertFalse(wrong.out().contains("s3cr3t") || wrong.err().contains("s3cr3t"), wrong.toString());
        assertEquals(1, wrong.err().strip().lines().count(), "one line: " + wrong.err());

        // a key store's password is not the login's: allowed, but never shown
        Cli.Result unreachable = Cli.raw("--db", "jdbc:mysql://127.0.0.1:1/x?trustCertificateKeyStorePassword=s3cr3t-Value", "db", "status");
        assertEquals(6, unreachable.exit(), unreachable.toString());
        assertFalse(unreachable.err().contains("s3cr3t"), unreachable.toString());
        assertFalse(unreachable.err().contains("\tat "), unreachable.toString());
        assertEquals(1, unreachable.err().strip().lines().count(), "one line: " + unreachable.err());
    }

    @Test
    void aPasswordInsideTheDatabaseUrlIsRefusedWithExit2WithoutEchoingIt() {
        for (String url : List.of("jdbc:mysql://127.0.0.1:3306/hr?password=hunter2", "jdbc:mysql://root:hunter2@127.0.0.1:3306/hr",
                "jdbc:mysql://127.0.0.1:1/x?user=root&password1=hunter2", "jdbc:mysql://127.0.0.1/x?sslMode=DISABLED&Password3=hunter2",
                "jdbc:mariadb://127.0.0.1/x?pwd=hunter2", "jdbc:h2:file:./data/x;PASSWORD=hunter2")) {
            Cli.Result r = Cli.raw("--db", url, "--log-dir", dir.resolve("logs").toString(), "runs", "list");
            assertEquals(2, r.exit(), url + ": " + r);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains("--db contains a password") && r.err().contains("SAFEIMPORT_DB_PASSWORD")
                    && r.err().contains("--db-password-file"), r.toString());
            assertFalse(r.out().contains("hunter2") || r.err().contains("hunter2"), r.toString());
        }
        assertFalse(Files.exists(dir.resolve("logs")), "refused before anything ran");
        Map<String, String> saved = GlobalOptions.env;
        try {
            GlobalOptions.env = Map.of("SAFEIMPORT_DB_URL", "jdbc:mysql://root:hunter2@127.0.0.1:3306/hr");
            Cli.Result r = Cli.raw("db", "status");
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().contains("SAFEIMPORT_DB_URL contains a password"), r.toString());
            assertFalse(r.err().contains("hunter2"), r.toString());
        } finally {
            GlobalOptions.env = saved;
        }
    }

    @Test
    void everyFormOfPasswordInAUrlIsRedacted() {
        String url = "jdbc:mysql://me:hunter2@db:3306/x?password=s1&password1=s2&PASSWORD2=s3&password3=s4&pwd=s5"
                + "&trustCertificateKeyStorePassword=s6&user=me";
        String redacted = DbSettings.redact(url);
        for (String secret : List.of("hunter2", "s1", "s2", "s3", "s4", "s5", "s6")) {
            assertFalse(redacted.contains(secret), secret + " in " + redacted);
        }
        assertTrue(redacted.contains("user=me") && redacted.contains("//me:***@db:3306/x"), redacted);
        assertTrue(DbSettings.passwordInUrl("jdbc:mysql://me@db/x?trustCertificateKeyStorePassword=k").isEmpty());
        assertTrue(DbSettings.passwordInUrl("jdbc:mysql://db:3306/x?allowPublicKeyRetrieval=true").isEmpty());
    }

    @EveryDatabase
    void validateExitsOneOnErrorFindingsAndMigrateMarksTheEnvironment(TestDatabase db) {
        Cli cli = seeded(db);
        assertEquals(0, cli.run("validate").exit());
        db.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('self@acme.example', 'Self', 'Managed')",
                "UPDATE app_user SET manager_id = id WHERE email = 'self@acme.example'");
        Cli.Result r = cli.run("validate", "--output", "json");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("user_self_manager") && r.out().contains("self@acme.example"), r.toString());

        assertEquals(0, cli.run("db", "migrate", "--env", "production").exit());
        Cli.Result status = cli.run("db", "status", "--output", "json");
        assertEquals(0, status.exit(), status.toString());
        assertEquals("production", status.json().get("environment").asText());
    }

    @Test
    void theEmbeddedDatabaseHeldByAnotherProcessIsExit4() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2); Handle held = db.database().open()) {
            held.createQuery("SELECT COUNT(*) FROM app_user").mapTo(Long.class).one();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SafeImport.class.getName(),
                    "--db", db.settings().url(), "--log-dir", dir.resolve("logs").toString(), "db", "status")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(4, p.waitFor(), output);
            assertTrue(output.contains("in use by another safeimport process"), output);
            assertFalse(output.contains("\tat "), output);
        }
    }
}
