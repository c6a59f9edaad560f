package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What safeimport leaves on disk: a new embedded database is owner-only like snapshots and logs,
 * H2 keeps no trace file of stack traces and SQL, and the scratch folders with row data that a
 * killed run leaves in the temp folder are removed by the next run (never a live process's).
 */
class HygieneTest {
    static final Path SAMPLES = Path.of("..", "samples");

    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aNewEmbeddedDatabaseIsOwnerOnlyAndKeepsNoTraceFile() throws IOException {
        Path data = dir.resolve("data");
        String url = "jdbc:h2:file:" + data.resolve("safeimport");
        List<String> globals = List.of("--db", url, "--log-dir", dir.resolve("logs").toString(), "--snapshot-dir", dir.resolve("snapshots").toString());
        // failing commands first: no schema yet (exit 6), then a users file whose teams do not exist (exit 1)
        Cli.Result status = Cli.raw(args(globals, "db", "status"));
        assertEquals(6, status.exit(), status.toString());
        Cli.Result rejected = Cli.raw(args(globals, "import", "users", "--csv", SAMPLES.resolve("users.csv").toString()));
        assertEquals(1, rejected.exit(), rejected.toString());
        Cli.Result imported = Cli.raw(args(globals, "import", "all", "--dir", SAMPLES.toString()));
        assertEquals(0, imported.exit(), imported.toString());

        assertEquals("rwx------", mode(data), "the folder safeimport created for the database");
        List<Path> made = files(data);
        assertTrue(made.stream().anyMatch(p -> p.getFileName().toString().equals("safeimport.mv.db")), made.toString());
        for (Path p : made) {
            assertFalse(p.getFileName().toString().endsWith(".trace.db"), "H2 keeps no trace file: " + made);
            assertEquals("rw-------", mode(p), p.toString());
        }
    }

    @Test
    void anExistingFolderIsUsedAsItIsAndTheDatabaseFileIsStillOwnerOnly() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Cli.Result status = Cli.raw("--db", "jdbc:h2:file:" + shared.resolve("hr"), "--log-dir", dir.resolve("logs").toString(), "db", "migrate");
        assertEquals(0, status.exit(), status.toString());
        assertEquals("rwxr-xr-x", mode(shared), "never chmod-ed");
        assertEquals("rw-------", mode(shared.resolve("hr.mv.db")));
    }

    @ParameterizedTest
    @MethodSource("io.safeimport.testing.TestDatabase#kinds")
    void theNextRunRemovesTheScratchFoldersOfDeadProcessesOnly(String kind) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String host = InetAddress.getLocalHost().getHostName();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        ProcessHandle me = ProcessHandle.current();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // as a run killed with kill -9 leaves them: rows in its work folder and in its LOAD DATA folder
        Path deadRun = leftover(tmp.resolve("safeimport-20261203T101010Z-users-abc123-pid" + deadPid + "-" + tag),
                "pid=" + deadPid + "\nhost=" + host + "\n");
        Path deadInfile = leftover(tmp.resolve("safeimport-infile-pid" + deadPid + "-" + tag), "pid=" + deadPid + "\nhost=" + host + "\n");
        // still running: this very process
        Path alive = leftover(tmp.resolve("safeimport-infile-pid" + me.pid() + "-" + tag), "pid=" + me.pid() + "\nhost=" + host
                + "\nprocess_start=" + me.info().startInstant().orElseThrow() + "\n");
        // cannot be checked: another host's (a shared temp folder), or no owner file (an older safeimport's)
        Path otherHost = leftover(tmp.resolve("safeimport-infile-pid" + deadPid + "-other-" + tag), "pid=" + deadPid + "\nhost=elsewhere." + tag + "\n");
        Path unowned = leftover(tmp.resolve("safeimport-infile-pid" + deadPid + "-unowned-" + tag), null);
        List<Path> kept = List.of(alive, otherHost, unowned);
        try (TestDatabase db = TestDatabase.create(kind)) {
            Cli cli = new Cli(db, dir);
            Cli.Result r = cli.run("import", "all", "--dir", SAMPLES.toString(), "--dry-run");
            assertEquals(0, r.exit(), r.toString());
            assertFalse(Files.exists(deadRun), "a dead run's work folder is removed");
            assertFalse(Files.exists(deadInfile), "a dead process's LOAD DATA folder is removed");
            for (Path p : kept) {
                assertTrue(Files.exists(p.resolve("rows.csv")), "left alone: " + p);
            }
            String runId = r.out().lines().findFirst().orElseThrow().replaceAll(".* run ", "");
            try (Stream<Path> s = Files.list(tmp)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("safeimport-" + runId + "-")),
                        "the run removed its own work folder");
            }
        } finally {
            for (Path p : List.of(deadRun, deadInfile, alive, otherHost, unowned)) {
                deleteTree(p);
            }
        }
    }

    private static Path leftover(Path folder, String owner) throws IOException {
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(folder.resolve("rows.csv"), "ann@acme.example,Ann\n", StandardCharsets.UTF_8);
        if (owner != null) {
            Files.writeString(folder.resolve("owner"), owner, StandardCharsets.UTF_8);
        }
        return folder;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static String[] args(List<String> globals, String... more) {
        List<String> all = new ArrayList<>(globals);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
