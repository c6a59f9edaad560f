package io.safeimport.dev;

import io.safeimport.cli.SafeImport;
import io.safeimport.internal.run.Environment;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import picocli.CommandLine;

/**
 * Runs safeimport-dev and safeimport commands in-process against a test database, with snapshots
 * and logs in a temporary folder, capturing stdout, stderr and the exit code. The database is
 * marked development unless made with {@link #unmarked}.
 */
final class DevCli implements AutoCloseable {
    static final Path SAMPLES = Path.of("..", "samples");
    static final List<String> REFERENCE_TABLES = List.of("ladder", "ladder_aspect", "ladder_level", "organization", "chapter",
            "tribe", "team", "app_user", "timeline_event", "compensation_snapshot", "seniority_snapshot");

    final TestDatabase db;
    final Path dir;
    private final Handle keepOpen;

    /**
     * Holds one connection open for the whole test. H2 2.2.224 closes an embedded database with its
     * last connection and, on reopening a file in which the users integrity check's recursive CTE
     * ({@code WITH RECURSIVE rooted ...}) has run, fails with 'View "rooted" already exists'
     * (h2database issues #910/#3527). That bug is outside importer-dev; keeping the database open
     * keeps these tests about the dev commands.
     */
    DevCli(TestDatabase db, Path dir) {
        this(db, dir, true);
    }

    private DevCli(TestDatabase db, Path dir, boolean development) {
        this.db = db;
        this.dir = dir;
        this.keepOpen = db.database().open();
        if (development) {
            // what `safeimport db migrate --env development` does: the dev commands change nothing else
            Environment.mark(db.database(), Environment.Kind.development);
        }
    }

    /** A test database left as created: not marked as any environment. */
    static DevCli unmarked(TestDatabase db, Path dir) {
        return new DevCli(db, dir, false);
    }

    @Override
    public void close() {
        keepOpen.close();
    }

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** {@code safeimport-dev [global options for the test database] args...}. */
    Result dev(String... args) {
        return raw(SafeImportDev.commandLine(), withGlobals(args));
    }

    /** The production {@code safeimport [global options for the test database] args...}. */
    Result prod(String... args) {
        return raw(SafeImport.commandLine(), withGlobals(args));
    }

    private String[] withGlobals(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.settings().url()));
        if (db.settings().user() != null) {
            all.addAll(List.of("--db-user", db.settings().user()));
        }
        if (db.settings().password() != null && !db.settings().password().isEmpty()) {
            all.addAll(List.of("--db-password-file", write("password", db.settings().password()).toString()));
        }
        // the import lock is server-wide on MariaDB: wait for other test runs instead of exiting 4
        all.addAll(List.of("--snapshot-dir", snapshots().toString(), "--log-dir", dir.resolve("logs").toString(), "--wait", "120"));
        all.addAll(Arrays.asList(args));
        return all.toArray(String[]::new);
    }

    static Result raw(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    Path snapshots() {
        return dir.resolve("snapshots");
    }

    /** Snapshot folders, oldest first. */
    List<String> snapshotIds() {
        if (!Files.isDirectory(snapshots())) {
            return List.of();
        }
        try (var s = Files.list(snapshots())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The snapshot IDs of committed runs of this importer, oldest first. */
    List<String> runSnapshots(String importer) {
        return db.rows("SELECT snapshot_id FROM safeimport_run WHERE importer = '" + importer + "' AND mode = 'apply'"
                + " ORDER BY started_at, run_id").stream().map(r -> (String) r.get("snapshot_id")).toList();
    }

    /** Checksum and next id of every reference table (safeimport's own tables left out). */
    Map<String, String> referenceState() {
        Map<String, String> all = db.state();
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : REFERENCE_TABLES) {
            out.put(t, all.get(t));
        }
        return out;
    }

    /** Checksums of the reference tables alone (ids handed out since do not count). */
    Map<String, String> referenceContent() {
        Map<String, String> out = new LinkedHashMap<>();
        referenceState().forEach((t, s) -> out.put(t, s.substring(0, s.indexOf(" next_id="))));
        return out;
    }

    Path write(String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
