package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --no-backup}, {@code --no-validate} and {@code --log-file} do, on H2 and on MariaDB:
 * each switch off of a safety step is done and said (a warning), never silent.
 */
class ImportSafetyFlagsTest {
    static final String H = UsersImportTest.HEADER;
    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @TempDir
    Path dir;

    private static boolean warns(JsonNode j, String text) {
        for (JsonNode w : j.get("warnings")) {
            if (w.get("message").asText().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static boolean isEmptyOrMissing(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return true;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.findAny().isEmpty();
        }
    }

    @EveryDatabase
    void noBackupCommitsWithoutASnapshotAndSaysItCannotBeRolledBack(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("users.csv", H, "ann@acme.example,Ann,Lee,Engineer,Payments,,,,,,", "bob@acme.example,Bob,Ray,,,,,,,,");
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--no-backup", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode j = r.json();
        assertEquals("committed", j.get("status").asText());
        assertTrue(j.get("snapshot_id").isNull(), r.toString());
        assertTrue(warns(j, "--no-backup") && warns(j, "cannot be rolled back"), r.toString());
        assertEquals(2, db.count("app_user"), "the rows were written");
        assertTrue(isEmptyOrMissing(dir.resolve("snapshots")), "no snapshot on disk");
        assertTrue(Files.readString(Path.of(j.get("log_file").asText())).contains("skipped (--no-backup)"), "the audit log says so");
        Cli.Result run = cli.run("runs", "show", j.get("run_id").asText());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.json().get("snapshot_id").isNull(), run.toString());

        Cli.Result text = cli.run("import", "users", "--csv", cli.csv("more.csv", H, "cy@acme.example,Cy,Ode,,,,,,,,").toString(),
                "--no-backup");
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.err().contains("warning: --no-backup"), text.toString());
        assertFalse(text.out().contains("safeimport rollback"), "no undo command is offered: " + text);
        assertTrue(isEmptyOrMissing(dir.resolve("snapshots")));
    }

    @EveryDatabase
    void noValidateCommitsWhatPostValidationWouldRollBackAndSaysSo(TestDatabase db) {
        UsersImportTest.orgStructure(db); // ladder ENG with levels 1, 2, 3
        Cli cli = new Cli(db, dir);
        Path gap = cli.csv("ladders.csv", "type,ladder,aspect,level,title", "level,ENG,,9,Distinguished Engineer");
        Map<String, String> before = UsersImportTest.referenceState(db);

        Cli.Result checked = cli.run("import", "ladders", "--csv", gap.toString(), "--output", "json");
        assertEquals(3, checked.exit(), "post-validation catches the gap 3 -> 9: " + checked);
        assertEquals("rolled_back", checked.json().get("status").asText());
        assertEquals("level_numbering_gap", checked.json().get("errors").get(0).get("code").asText(), checked.toString());
        assertEquals(before, UsersImportTest.referenceState(db), "rolled back (the run table records the attempt)");

        Cli.Result unchecked = cli.run("import", "ladders", "--csv", gap.toString(), "--no-validate", "--output", "json");
        assertEquals(0, unchecked.exit(), unchecked.toString());
        JsonNode j = unchecked.json();
        assertEquals("committed", j.get("status").asText());
        assertTrue(j.get("errors").isEmpty(), unchecked.toString());
        assertTrue(warns(j, "--no-validate") && warns(j, "safeimport validate"), unchecked.toString());
        assertEquals(4, db.count("ladder_level"), "written without the checks");
        assertFalse(j.get("snapshot_id").isNull(), "--no-validate still takes the snapshot");

        Cli.Result validate = cli.run("validate", "--output", "json");
        assertEquals(1, validate.exit(), "the database now fails the check it skipped: " + validate);
        assertTrue(validate.out().contains("level_numbering_gap"), validate.toString());

        Cli.Result rollback = cli.run("rollback", j.get("snapshot_id").asText(), "--yes");
        assertEquals(0, rollback.exit(), rollback.toString());
        assertEquals(3, db.count("ladder_level"));
    }

    @EveryDatabase
    void logFileWritesTheAuditLogWhereAskedOwnerOnly(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("users.csv", H, "ann@acme.example,Ann,Lee,Engineer,Payments,,,,,,");
        Path log = dir.resolve("audit").resolve("users-import.log");

        Cli.Result dry = cli.run("import", "users", "--csv", f.toString(), "--dry-run", "--log-file", log.toString(), "--output", "json");
        assertEquals(0, dry.exit(), dry.toString());
        assertEquals(log.toString(), dry.json().get("log_file").asText());
        Cli.Result real = cli.run("import", "users", "--csv", f.toString(), "--log-file", log.toString(), "--output", "json");
        assertEquals(0, real.exit(), real.toString());
        assertEquals(log.toString(), real.json().get("log_file").asText());

        List<String> lines = Files.readAllLines(log);
        String dryId = dry.json().get("run_id").asText();
        String realId = real.json().get("run_id").asText();
        assertTrue(lines.stream().anyMatch(l -> l.contains("step=start run_id=" + dryId)), "the dry-run's log: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("step=start run_id=" + realId)), "appended, not replaced: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("step=commit ok")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("ann@acme.example")), "the planned row is in the log: " + lines);
        assertTrue(lines.get(lines.size() - 1).contains("step=end status=committed"), lines.toString());
        assertTrue(isEmptyOrMissing(dir.resolve("logs")), "nothing in the default log folder");
        if (POSIX) {
            assertEquals("rw-------", mode(log), "names and emails: owner-only");
            assertEquals("rwx------", mode(log.getParent()), "the folder it created");
        }

        Cli.Result text = cli.run("import", "users", "--csv", f.toString(), "--dry-run");
        assertEquals(0, text.exit(), text.toString());
        Path defaultLog = Path.of(text.out().lines().filter(l -> l.startsWith("Audit log: ")).findFirst().orElseThrow()
                .substring("Audit log: ".length()));
        assertEquals(dir.resolve("logs"), defaultLog.getParent(), "without --log-file: <log dir>/<run id>.log");
        if (POSIX) {
            assertEquals("rw-------", mode(defaultLog));
            assertEquals("rwx------", mode(defaultLog.getParent()));
        }
    }
}
