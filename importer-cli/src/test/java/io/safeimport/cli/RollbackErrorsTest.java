package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rollback errors say what happened, with the exit code and JSON status of DESIGN.md §3. */
class RollbackErrorsTest {
    static final String NO_SUCH = "20261122T034000Z-users-1a2b3c";

    @TempDir
    Path dir;

    static Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    private static List<String> withDb(TestDatabase db, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.settings().url()));
        if (db.settings().user() != null) {
            all.addAll(List.of("--db-user", db.settings().user()));
        }
        all.addAll(List.of(args));
        return all;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anUnwritableLogFolderIsAUsageErrorForRollbackAsForImport(String kind) throws IOException {
        try (TestDatabase db = TestDatabase.create(kind)) {
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
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aSnapshotThatDoesNotExistIsAUsageErrorNotARefusal(String kind) throws IOException {
        try (TestDatabase db = TestDatabase.create(kind)) {
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
    }
}
