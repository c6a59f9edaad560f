package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.RollbackResult;
import io.safeimport.internal.pipeline.RollbackPipeline;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** Rollback errors say what happened, with the exit code and JSON status of DESIGN.md §3. */
class RollbackErrorsTest {
    static final String NO_SUCH = "20261122T034000Z-users-1a2b3c";

    @TempDir
    Path dir;

    private static List<String> withDb(TestDatabase db, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.settings().url()));
        if (db.settings().user() != null) {
            all.addAll(List.of("--db-user", db.settings().user()));
        }
        all.addAll(List.of(args));
        return all;
    }

    @EveryDatabase
    void anUnwritableLogFolderIsAUsageErrorForRollbackAsForImport(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path csv = cli.csv("u.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,,,,,,,,");
        String snapshot = cli.run("import", "users", "--csv", csv.toString(), "--output", "json").json().get("snapshot_id").asText();
        // a folder under a regular file cannot be created, even by root
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        Path logs = blocker.resolve("logs");
        String snapshots = dir.resolve("snapshots").toString();
        Map<String, String> before = db.state();

        Cli.Result imported = Cli.raw(withDb(db, "--log-dir", logs.toString(), "--snapshot-dir", snapshots,
                "import", "users", "--csv", csv.toString(), "--dry-run").toArray(String[]::new));
        Cli.Result rolledBack = Cli.raw(withDb(db, "--log-dir", logs.toString(), "--snapshot-dir", snapshots,
                "rollback", snapshot, "--dry-run").toArray(String[]::new));
        Cli.Result json = Cli.raw(withDb(db, "--log-dir", logs.toString(), "--snapshot-dir", snapshots,
                "rollback", snapshot, "--dry-run", "--output", "json").toArray(String[]::new));
        assertEquals(2, imported.exit(), imported.toString());
        assertEquals(2, rolledBack.exit(), rolledBack.toString());
        assertEquals(2, json.exit(), json.toString());
        for (Cli.Result r : List.of(imported, rolledBack)) {
            assertTrue(r.err().contains("cannot write the audit log " + logs), r.toString());
            assertTrue(r.err().contains("choose another folder with --log-dir"), r.toString());
            assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.toString());
        }
        assertEquals("failed", json.json().get("status").asText(), json.toString());
        assertTrue(json.json().get("message").asText().contains("cannot write the audit log"), json.toString());
        assertEquals(before, db.state());
    }

    @EveryDatabase
    void aSnapshotThatDoesNotExistIsAUsageErrorNotARefusal(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        Files.createDirectories(dir.resolve("snapshots"));
        for (String snapshotDir : List.of(dir.resolve("snapshots").toString(), dir.resolve("no-such-folder").toString())) {
            Cli.Result text = cli.run("--snapshot-dir", snapshotDir, "rollback", NO_SUCH, "--yes");
            assertEquals(2, text.exit(), text.toString());
            assertTrue(text.err().contains("no snapshot " + NO_SUCH + " in " + snapshotDir), text.toString());
            assertFalse(text.err().contains("refused"), "exit 2 is not a refusal: " + text);
            for (String[] args : List.of(new String[] {"rollback", NO_SUCH, "--yes", "--output", "json"},
                    new String[] {"rollback", NO_SUCH, "--dry-run", "--output", "json"},
                    new String[] {"snapshots", "verify", NO_SUCH, "--output", "json"})) {
                List<String> all = new ArrayList<>(List.of("--snapshot-dir", snapshotDir));
                all.addAll(List.of(args));
                Cli.Result r = cli.run(all.toArray(String[]::new));
                assertEquals(2, r.exit(), r.toString());
                assertEquals("failed", r.json().get("status").asText(), "status agrees with exit 2: " + r);
                assertTrue(r.json().get("message").asText().contains("see `snapshots list`, or --snapshot-dir"), r.toString());
            }
            Cli.Result show = cli.run("--snapshot-dir", snapshotDir, "snapshots", "show", NO_SUCH);
            assertEquals(2, show.exit(), show.toString());
        }
    }

    /**
     * Two rollbacks of one snapshot, the second waiting with {@code --wait} for the first's lock:
     * the second learns that the run was rolled back meanwhile. Deterministic: the first holds the
     * lock in its confirmation (after every check, before writing) until the second has checked
     * the run and is waiting for the lock.
     */
    @EveryDatabase
    void aRollbackThatWaitedForAnotherOfTheSameRunSaysItWasAlreadyRolledBack(TestDatabase db) throws Exception {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Map<String, String> empty = UsersImportTest.referenceState(db);
        Path csv = cli.csv("u.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,,,,,,,,", "bob@acme.example,Bob,Ray,,,,,,,,");
        Cli.Result imported = cli.run("import", "users", "--csv", csv.toString(), "--output", "json");
        assertEquals(0, imported.exit(), imported.toString());
        String snapshot = imported.json().get("snapshot_id").asText();

        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Path firstLogs = dir.resolve("first-logs");
        CompletableFuture<RollbackResult> first = CompletableFuture.supplyAsync(() ->
                new RollbackPipeline(db.database(), dir.resolve("snapshots"), firstLogs, Clock.systemUTC(), 0)
                        .run(snapshot, false, false, () -> {
                            holding.countDown();
                            try {
                                return go.await(120, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return false;
                            }
                        }));
        CompletableFuture<Cli.Result> second = null;
        try {
            assertTrue(holding.await(120, TimeUnit.SECONDS), "the first rollback never reached its confirmation");
            second = CompletableFuture.supplyAsync(() -> cli.run("--wait", "120", "rollback", snapshot, "--yes", "--output", "json"));
            // the second has found the run committed and is about to wait for the lock the first holds
            awaitLog(dir.resolve("logs"), "step=lock run ", second);
        } finally {
            go.countDown();
        }
        RollbackResult r1 = first.get(120, TimeUnit.SECONDS);
        assertEquals("restored", r1.status(), r1.message());
        Cli.Result r2 = second.get(120, TimeUnit.SECONDS);
        assertEquals(5, r2.exit(), r2.toString());
        assertEquals("refused", r2.json().get("status").asText(), r2.toString());
        String message = r2.json().get("message").asText();
        assertTrue(message.contains("already rolled back by " + r1.runId()), r2.toString());
        assertFalse(message.contains("--force"), r2.toString());
        assertEquals(empty, UsersImportTest.referenceState(db), "rolled back once");
    }

    /** Waits (polling the audit logs, never a fixed sleep) until a log in the folder has the marker. */
    private static void awaitLog(Path logs, String marker, CompletableFuture<?> run) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(logs)) {
                try (Stream<Path> s = Files.list(logs)) {
                    for (Path p : s.toList()) {
                        if (Files.readString(p, StandardCharsets.UTF_8).contains(marker)) {
                            return;
                        }
                    }
                }
            }
            assertNotEquals(true, run.isDone(), "the second rollback ended before it waited: " + run.getNow(null));
            Thread.sleep(5);
        }
        throw new AssertionError("no log in " + logs + " reached '" + marker + "'");
    }
}
