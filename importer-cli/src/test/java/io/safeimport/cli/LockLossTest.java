package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import lock on MySQL/MariaDB is a {@code GET_LOCK} held by an idle control connection, on
 * PostgreSQL a session-level advisory lock held likewise. If that connection dies (KILL or
 * {@code pg_terminate_backend}, a proxy's idle timeout, a short {@code wait_timeout}) the lock is
 * gone and another run can take it: the run must find out before it commits, so that two
 * overlapping runs never both commit, and the connection must not idle out in the first place.
 */
class LockLossTest {
    @TempDir
    Path dir;

    private static List<String> committedImports(Cli cli) {
        List<String> ids = new ArrayList<>();
        for (JsonNode run : cli.run("runs", "list", "--output", "json").json().get("runs")) {
            if ("committed".equals(run.get("status").asText()) && run.get("importer").asText().equals("users")) {
                ids.add(run.get("run_id").asText());
            }
        }
        return ids;
    }

    @EveryDatabase({TestDatabase.MARIADB, TestDatabase.POSTGRES})
    void aRunWhoseLockConnectionWasKilledAbortsBeforeCommitAndTheOtherRunCommitsAlone(TestDatabase db) throws Exception {
        UsersImportTest.orgStructure(db);
        Path csv = CrashSafetyTest.bigUsers(dir, 200);
        Map<String, String> before = UsersImportTest.referenceState(db);
        Path gates = dir.resolve("gates");
        Cli cli = new Cli(db, dir);
        Child.hold(gates, "commit");
        try (Child first = Child.start(gates, db.settings().url(), db, dir, dir.resolve("child-logs"),
                "import", "users", "--csv", csv.toString(), "--output", "json");
             Handle admin = db.database().open()) {
            assertTrue(Child.awaitGate(first, gates, "commit", Duration.ofSeconds(120)),
                    "the first run ended before its commit: " + first.output());
            Long holder = db.importLockHolder(admin);
            assertNotNull(holder, "the first run holds the lock");
            db.killSession(admin, holder);
            // KILL (pg_terminate_backend) returns before the killed session has ended and let go of its lock: wait for that
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (holder.equals(db.importLockHolder(admin)) && System.nanoTime() < until) {
                Thread.sleep(10);
            }

            // a second run now finds the lock free; it waits for the first's row locks, if need be
            CompletableFuture<Cli.Result> second = CompletableFuture.supplyAsync(
                    () -> cli.run("--wait", "60", "import", "users", "--csv", csv.toString(), "--output", "json"));
            Child.open(gates, "commit");
            int exit = first.await(Duration.ofSeconds(120));
            assertEquals(4, exit, "the first run's lock was lost: it refuses to commit: " + first.output());
            assertTrue(first.output().contains("was lost before commit"), first.output());
            Cli.Result r = second.get(120, TimeUnit.SECONDS);
            assertEquals(0, r.exit(), r.toString());
            assertEquals("committed", r.json().get("status").asText());
        }
        assertEquals(1, committedImports(cli).size(), "exactly one of the two runs committed");
        assertEquals(200, db.count("app_user"));
        assertTrue(!before.equals(UsersImportTest.referenceState(db)));
    }

    @EveryDatabase({TestDatabase.MARIADB, TestDatabase.POSTGRES})
    void theLockConnectionIsKeptAliveThroughAServerIdleTimeout(TestDatabase db) throws Exception {
        UsersImportTest.orgStructure(db);
        Path csv = CrashSafetyTest.bigUsers(dir, 50);
        Path gates = dir.resolve("gates");
        // every connection of the child is closed by the server after 2 s without a statement
        String url = db.settings().url() + (TestDatabase.POSTGRES.equals(db.kind())
                ? "?options=-c%20idle_session_timeout%3D2000" : "?sessionVariables=wait_timeout=2");
        Child.hold(gates, "locked", "commit");
        try (Child child = Child.start(gates, url, db, dir, dir.resolve("child-logs"),
                "import", "users", "--csv", csv.toString(), "--output", "json");
             Handle admin = db.database().open()) {
            assertTrue(Child.awaitGate(child, gates, "locked", Duration.ofSeconds(120)), child.output());
            Long holder = db.importLockHolder(admin);
            assertNotNull(holder, "the child holds the lock");
            // the server's own clock: three idle timeouts pass while the child stands at the gate
            long start = db.serverSeconds(admin);
            while (db.serverSeconds(admin) < start + 7) {
                Thread.sleep(200);
            }
            assertEquals(holder, db.importLockHolder(admin), "the same connection still holds the lock after three idle timeouts");
            Child.open(gates, "locked");
            Child.open(gates, "commit");
            assertEquals(0, child.await(Duration.ofSeconds(120)), child.output());
        }
        assertEquals(50, db.count("app_user"));
    }
}
