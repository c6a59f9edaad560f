package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only what safeimport creates gets safeimport's modes: a shared folder named as the snapshot
 * folder, the log folder or the log file is refused (exit 2, saying why) and left exactly as it
 * was, and nothing is written to the database. Before, {@code --snapshot-dir /tmp} as root made the
 * system temp folder 0700 and {@code --log-file /tmp} made it 0600.
 */
class SharedFoldersTest {
    private static final String SHARED = "rwxrwxrwx";

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "file modes need a POSIX file system");
    }

    private Path shared(String name) throws IOException {
        Path p = Files.createDirectory(dir.resolve(name));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(SHARED));
        return p;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private Cli.Result importWith(TestDatabase db, String... options) {
        Path csv = new Cli(db, dir).csv("u.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,,Payments,,,,,,");
        List<String> args = new ArrayList<>(List.of("--db", db.settings().url()));
        if (db.settings().user() != null) {
            args.addAll(List.of("--db-user", db.settings().user()));
        }
        args.addAll(List.of(options));
        args.addAll(List.of("import", "users", "--csv", csv.toString(), "--output", "json"));
        return Cli.raw(args.toArray(String[]::new));
    }

    @EveryDatabase
    void aSharedSnapshotFolderIsRefusedAndKeepsItsMode(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Path shared = shared("tmp");
        Map<String, String> before = db.state();
        Cli.Result r = importWith(db, "--snapshot-dir", shared.toString(), "--log-dir", dir.resolve("logs").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.json().get("message").asText().contains("snapshot folder (--snapshot-dir) '" + shared + "' can be written by every user"),
                r.toString());
        assertEquals(SHARED, mode(shared), "the shared folder's mode is unchanged");
        try (Stream<Path> s = Files.list(shared)) {
            assertEquals(0, s.count(), "nothing created in it");
        }
        assertEquals(before, db.state());
    }

    @EveryDatabase
    void aSharedLogFolderIsRefusedAndKeepsItsMode(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Path shared = shared("logs");
        Map<String, String> before = db.state();
        Cli.Result r = importWith(db, "--snapshot-dir", dir.resolve("snapshots").toString(), "--log-dir", shared.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.json().get("message").asText().contains("log folder (--log-dir) '" + shared + "' can be written by every user"),
                r.toString());
        assertEquals(SHARED, mode(shared));
        assertEquals(before, db.state());
    }

    @EveryDatabase
    void aFolderNamedAsTheLogFileIsRefusedAndKeepsItsMode(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Path shared = shared("tmp");
        Map<String, String> before = db.state();
        Path csv = new Cli(db, dir).csv("u.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,,Payments,,,,,,");
        Cli.Result r = new Cli(db, dir).run("import", "users", "--csv", csv.toString(), "--log-file", shared.toString(),
                "--output", "json");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.json().get("message").asText().contains("exists and is not a regular file"), r.toString());
        assertEquals(SHARED, mode(shared), "never chmod-ed to 0600");
        assertEquals(before, db.state());
    }

    @EveryDatabase
    void aLogFileInASharedFolderIsCreatedOwnerOnlyAndTheFolderLeftAlone(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Path shared = shared("tmp");
        Path csv = new Cli(db, dir).csv("u.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,,Payments,,,,,,");
        Path log = shared.resolve("run.log");
        Cli.Result r = new Cli(db, dir).run("import", "users", "--csv", csv.toString(), "--log-file", log.toString(),
                "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(SHARED, mode(shared));
        assertEquals("rw-------", mode(log));
        assertFalse(Files.readString(log).isEmpty());
    }
}
