package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.TestDatabase;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What happens when things go wrong around an import, on the real MariaDB: the process is killed
 * with SIGKILL at various steps, or the database connection is cut mid-run.
 */
class CrashSafetyTest {
    @TempDir
    Path dir;

    private Path bigUsers(int rows) throws IOException {
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

    private static boolean logReached(Path logs, String marker) throws IOException {
        if (!Files.isDirectory(logs)) {
            return false;
        }
        try (Stream<Path> s = Files.list(logs)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".log")).toList()) {
                if (Files.readString(p, StandardCharsets.UTF_8).contains(marker)) {
                    return true;
                }
            }
        }
        return false;
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"step=validate begin", "step=snapshot", "step=apply begin", "step=check-before"})
    void killDashNineAtAnyStepLeavesTheDatabaseExactlyAsBefore(String marker) throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            UsersImportTest.orgStructure(db);
            Path csv = bigUsers(20_000);
            Path logs = dir.resolve("logs-" + marker.hashCode());
            Map<String, String> before = UsersImportTest.referenceState(db);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SafeImport.class.getName(),
                    "--db", db.settings().url(), "--db-user", db.settings().user(),
                    "--snapshot-dir", dir.resolve("snapshots").toString(), "--log-dir", logs.toString(),
                    "import", "users", "--csv", csv.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!logReached(logs, marker) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(p.isAlive(), "the child finished before reaching " + marker + ": " + Files.readString(dir.resolve("child.out")));
            p.destroyForcibly(); // SIGKILL on Linux
            p.waitFor(30, TimeUnit.SECONDS);
            assertEquals(137, p.exitValue(), "killed by SIGKILL");

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
            assertEquals(20_000, db.count("app_user"));
            if (!marker.startsWith("step=validate")) {
                boolean interrupted = false;
                for (JsonNode run : cli.run("runs", "list", "--output", "json").json().get("runs")) {
                    interrupted |= "interrupted".equals(run.get("status").asText());
                }
                assertTrue(interrupted || marker.equals("step=snapshot"), "the killed run shows as interrupted");
            }
        }
    }

    @Test
    void losingTheConnectionMidRunEndsWithExit6AndNothingWritten() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            UsersImportTest.orgStructure(db);
            Path csv = bigUsers(20_000);
            Cli cli = new Cli(db, dir);
            Map<String, String> before = UsersImportTest.referenceState(db);
            CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> cli.run("import", "users", "--csv", csv.toString(), "--output", "json"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!logReached(dir.resolve("logs"), "step=apply begin") && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(!run.isDone(), "the import ended before apply began: " + (run.isDone() ? run.get() : ""));
            String schema = db.settings().url().substring(db.settings().url().lastIndexOf('/') + 1);
            try (Handle admin = db.database().open()) {
                for (Long id : admin.createQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = :db AND ID <> CONNECTION_ID()")
                        .bind("db", schema).mapTo(Long.class).list()) {
                    admin.execute("KILL " + id);
                }
            }
            Cli.Result r = run.get(120, TimeUnit.SECONDS);
            assertEquals(6, r.exit(), r.toString());
            assertTrue(r.json().get("message").asText().contains("connection to the database was lost"), r.toString());
            assertTrue(!r.err().contains("\tat "), "no stack trace");
            assertEquals(before, UsersImportTest.referenceState(db));
            assertEquals(0, cli.run("--wait", "120", "import", "users", "--csv", csv.toString()).exit(), "the next run works");
        }
    }
}
