package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rollback tells what it did in its audit log, and where it is on stderr while it runs. */
class RollbackReportingTest {
    @TempDir
    Path dir;

    /** Ann updated, Cy inserted: the rollback restores one row and removes one. */
    private static String importAnnAndCy(TestDatabase db, Cli cli) {
        db.execute("INSERT INTO app_user (email, first_name, last_name, title) VALUES ('ann@acme.example', 'Ann', 'Lee', 'Engineer')");
        Path csv = cli.csv("u.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,Staff Engineer,,,,,,,", "cy@acme.example,Cy,Ng,,,,,,,,");
        Cli.Result r = cli.run("import", "users", "--csv", csv.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        return r.json().get("snapshot_id").asText();
    }

    @EveryDatabase
    void theAuditLogHasTheRowsRestoredAndRemovedPerTableAndTimings(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        String snapshot = importAnnAndCy(db, cli);
        Cli.Result r = cli.run("rollback", snapshot, "--yes", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        String log = Files.readString(Path.of(r.json().get("log_file").asText()), StandardCharsets.UTF_8);
        assertTrue(log.contains(" step=rows table=app_user restored=1 removed=1\n"), log);
        assertTrue(log.matches("(?s).* step=timings [^\n]*verify=[^\n]*drift=[^\n]*snapshot=[^\n]*restore=[^\n]*remove=[^\n]*commit=.*"), log);
        assertTrue(log.matches("(?s).* step=end status=restored exit=0 counts=\\{\"app_user\":\\{\"restored\":1,\"removed\":1}} safety_snapshot_id="
                + r.json().get("run_id").asText() + "\n"), log);

        Cli.Result dry = cli.run("rollback", r.json().get("run_id").asText(), "--dry-run", "--output", "json");
        assertEquals(0, dry.exit(), dry.toString());
        String dryLog = Files.readString(Path.of(dry.json().get("log_file").asText()), StandardCharsets.UTF_8);
        assertTrue(dryLog.contains(" step=rows table=app_user restored=2 removed=0 (not written)\n"), dryLog); // cy comes back: restored
        assertTrue(dryLog.contains(" step=timings "), dryLog);
    }

    @EveryDatabase
    void withoutATerminalEachPhaseOfARollbackPrintsAProgressLine(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        String snapshot = importAnnAndCy(db, cli);
        Cli.Result r = cli.run("rollback", snapshot, "--yes");
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("safeimport: ")).toList();
        assertEquals(List.of(
                "safeimport: drift check: 0 of 2 rows (0%)",
                "safeimport: safety snapshot: 0 of 2 rows (0%)",
                "safeimport: restore: 0 of 1 rows (0%)",
                "safeimport: remove: 0 of 1 rows (0%)"), lines, r.toString());

        Cli.Result json = cli.run("rollback", r.out().lines().filter(l -> l.contains("undo it with"))
                .map(l -> l.replaceAll(".*safeimport rollback (\\S+).*", "$1")).findFirst().orElseThrow(), "--yes", "--output", "json");
        assertEquals(0, json.exit(), json.toString());
        assertFalse(json.err().contains("safeimport: drift check"), "no progress with --output json: " + json);
    }

    @Test
    void announcedPhasesPrintALineWhenTheyBeginAndThenEveryFiveSeconds() {
        StringWriter out = new StringWriter();
        AtomicLong now = new AtomicLong(1_000_000);
        ProgressReporter.Plain p = new ProgressReporter.Plain(new PrintWriter(out), now::get, true);
        p.progress("restore", 0, 100_000);
        now.addAndGet(1_000);
        p.progress("restore", 10_000, 100_000); // under five seconds: quiet
        now.addAndGet(4_000);
        p.progress("restore", 50_000, 100_000);
        p.progress("remove", 0, 10);
        assertEquals(List.of(
                "safeimport: restore: 0 of 100,000 rows (0%)",
                "safeimport: restore: 50,000 of 100,000 rows (50%), 10,000 rows/s, about 5 s left",
                "safeimport: remove: 0 of 10 rows (0%)"), out.toString().lines().toList());
    }
}
