package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.internal.audit.StepGate;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What happens when things go wrong around an import or a rollback, on the embedded H2 and the
 * real MariaDB: the process is killed with SIGKILL at every step, or the database connection is
 * cut mid-run.
 */
class CrashSafetyTest {
    @TempDir
    Path dir;

    private Path bigUsers(int rows) throws IOException {
        return bigUsers(dir, rows);
    }

    /** {@code big.csv} in {@code dir}: {@code rows} people in the seeded teams, managers among them. */
    static Path bigUsers(Path dir, int rows) throws IOException {
        Path f = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write(UsersImportTest.HEADER + "\n");
            for (int i = 0; i < rows; i++) {
                String manager = i % 10 == 0 ? "" : "person" + (i - i % 10) + "@acme.example";
                w.write("person" + i + "@acme.example,Per" + i + ",Son,\"Engineer, Level " + (i % 3 + 1) + "\",Payments,Backend,ENG,"
                        + (i % 3 + 1) + "," + manager + ",2020-01-01,true\n");
            }
        }
        return f;
    }

    /** Every step of an import, from the moment it holds the lock (killed at once: the record must already be durable). */
    static Stream<Arguments> importSteps() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : TestDatabase.kinds().toList()) {
            // the steps as the audit log names them; the child is held at each by its test gate (StepGate), then killed
            for (String step : List.of("run", "validate", "plan", "snapshot", "apply", "check-before")) {
                out.add(Arguments.of(kind, step));
            }
        }
        return out.stream();
    }

    /** Rows enough for more than one chunk of every step (the child is stopped at a step by its gate, not by its size). */
    private static final int ROWS = 5_000;

    private static String statusOf(Cli cli, String runId) {
        for (JsonNode run : cli.run("runs", "list", "--output", "json").json().get("runs")) {
            if (run.get("run_id").asText().equals(runId)) {
                return run.get("status").asText();
            }
        }
        return "(not recorded)";
    }

    @ParameterizedTest(name = "{0}: killed at {1}")
    @MethodSource("importSteps")
    void killDashNineAtAnyStepLeavesTheDatabaseExactlyAsBeforeAndTheRunInterrupted(String kind, String step) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            UsersImportTest.orgStructure(db);
            int rows = ROWS;
            Path csv = bigUsers(rows);
            Map<String, String> before = UsersImportTest.referenceState(db);
            String runId;
            Path gates = dir.resolve("gates");
            Child.hold(gates, step);
            try (Child child = Child.start(gates, db.settings().url(), db, dir, dir.resolve("child-logs"), "import", "users", "--csv", csv.toString())) {
                assertTrue(Child.awaitGate(child, gates, step, Duration.ofSeconds(120)), "the child ended before reaching " + step + ": " + child.output());
                runId = child.runId();
                assertEquals(137, child.kill(), "killed by SIGKILL");
            }

            // the server rolls the open transaction back when the connection drops; wait until it has
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!before.equals(UsersImportTest.referenceState(db)) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertEquals(before, UsersImportTest.referenceState(db), "CHECKSUM TABLE of every reference table as before");

            Cli cli = new Cli(db, dir);
            // the server may still be rolling the killed session back and holding its lock: wait for it
            Cli.Result next = cli.run("--wait", "120", "import", "users", "--csv", csv.toString(), "--output", "json");
            assertEquals(0, next.exit(), "the next run works: " + next);
            assertEquals(rows, db.count("app_user"));
            assertTrue(next.json().get("warnings").toString().contains("run " + runId + " had been interrupted"), next.toString());
            assertEquals("interrupted", statusOf(cli, runId), "the killed run shows as interrupted in runs list");
        }
    }

    @EveryDatabase
    void aRollbackKilledMidwayLeavesTheDatabaseAsBeforeAndShowsInterrupted(TestDatabase db) throws Exception {
        UsersImportTest.orgStructure(db);
        Map<String, String> empty = UsersImportTest.referenceState(db);
        Path csv = bigUsers(ROWS);
        Cli cli = new Cli(db, dir);
        Cli.Result imported = cli.run("import", "users", "--csv", csv.toString(), "--output", "json");
        assertEquals(0, imported.exit(), imported.toString());
        String snapshot = imported.json().get("snapshot_id").asText();
        Map<String, String> after = UsersImportTest.referenceState(db);

        String rollbackId;
        Path gates = dir.resolve("gates");
        Child.hold(gates, "snapshot");
        try (Child child = Child.start(gates, db.settings().url(), db, dir, dir.resolve("child-logs"), "rollback", snapshot, "--yes")) {
            // killed while restoring: after the safety snapshot, inside the transaction
            assertTrue(Child.awaitGate(child, gates, "snapshot", Duration.ofSeconds(120)), "the rollback ended first: " + child.output());
            rollbackId = child.runId();
            assertEquals(137, child.kill());
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!after.equals(UsersImportTest.referenceState(db)) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertEquals(after, UsersImportTest.referenceState(db), "nothing of the killed rollback is left");

        Cli.Result again = cli.run("--wait", "120", "rollback", snapshot, "--yes", "--output", "json");
        assertEquals(0, again.exit(), "the next rollback works: " + again);
        assertEquals(empty, UsersImportTest.referenceState(db));
        assertEquals("interrupted", statusOf(cli, rollbackId), "the killed rollback is recorded under its own run ID");
        assertEquals("committed", statusOf(cli, again.json().get("run_id").asText()));
    }

    @EveryDatabase({TestDatabase.MARIADB, TestDatabase.POSTGRES})
    void losingTheConnectionMidRunEndsWithExit6AndNothingWritten(TestDatabase db) throws Exception {
        UsersImportTest.orgStructure(db);
        Path csv = bigUsers(ROWS);
        Cli cli = new Cli(db, dir);
        Map<String, String> before = UsersImportTest.referenceState(db);
        // this run is in-process: its test gate is this JVM's, held at the start of apply and let go once its sessions are killed
        Path gates = dir.resolve("gates");
        Child.hold(gates, "apply");
        System.setProperty(StepGate.PROPERTY, gates.toString());
        Cli.Result r;
        try {
            CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> cli.run("import", "users", "--csv", csv.toString(), "--output", "json"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(gates.resolve("apply.reached")) && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(!run.isDone(), "the import ended before apply began: " + (run.isDone() ? run.get() : ""));
            try (Handle admin = db.database().open()) {
                for (Long id : db.otherSessions(admin)) {
                    db.killSession(admin, id);
                }
            }
            Child.open(gates, "apply");
            r = run.get(120, TimeUnit.SECONDS);
        } finally {
            System.clearProperty(StepGate.PROPERTY);
        }
        assertEquals(6, r.exit(), r.toString());
        assertTrue(r.json().get("message").asText().contains("connection to the database was lost"), r.toString());
        assertTrue(!r.err().contains("\tat "), "no stack trace");
        assertEquals(before, UsersImportTest.referenceState(db));
        assertEquals(0, cli.run("--wait", "120", "import", "users", "--csv", csv.toString()).exit(), "the next run works");
    }
}
