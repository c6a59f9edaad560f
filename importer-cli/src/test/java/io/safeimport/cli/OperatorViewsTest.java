package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.api.RollbackResult;
import io.safeimport.internal.pipeline.RollbackPipeline;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees before and after: the rollback's question, {@code runs show}, {@code snapshots show}. */
class OperatorViewsTest {
    @TempDir
    Path dir;

    /** Ann is updated (her title) and Cy inserted: one row to restore, one to remove. */
    private static String importAnnAndCy(TestDatabase db, Cli cli) {
        db.execute("INSERT INTO app_user (email, first_name, last_name, title) VALUES ('ann@acme.example', 'Ann', 'Lee', 'Engineer')");
        Path csv = cli.csv("u.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,Staff Engineer,,,,,,,", "cy@acme.example,Cy,Ng,,,,,,,,");
        Cli.Result r = cli.run("import", "users", "--csv", csv.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        return r.json().get("snapshot_id").asText();
    }

    @EveryDatabase
    void theRollbackQuestionShowsPerTableWhatItWillRestoreAndRemove(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        String snapshot = importAnnAndCy(db, cli);
        Map<String, String> state = db.state();
        AtomicReference<String> asked = new AtomicReference<>();
        RollbackResult r = new RollbackPipeline(db.database(), dir.resolve("snapshots"), dir.resolve("logs"), Clock.systemUTC(), 0)
                .run(snapshot, false, false, counts -> {
                    asked.set(RollbackCommand.question(snapshot, db.settings().redactedUrl(), counts));
                    return false; // the operator says no
                });
        assertEquals("refused", r.status(), r.message());
        assertEquals(state, db.state(), "a no changes nothing");
        String question = asked.get();
        assertTrue(question.contains(snapshot) && question.contains(db.settings().redactedUrl()), question);
        assertTrue(question.matches("(?s).*app_user +restore 1 row\\(s\\), remove 1 row\\(s\\).*"), question);
        assertTrue(question.endsWith("[y/N] "), question);
    }

    @EveryDatabase
    void runsShowPrintsJsonOrText(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        String run = importAnnAndCy(db, cli);
        Cli.Result byDefault = cli.run("runs", "show", run);
        assertEquals(0, byDefault.exit(), byDefault.toString());
        assertEquals(run, byDefault.json().get("run_id").asText(), "JSON by default, as before");
        Cli.Result json = cli.run("runs", "show", run, "--output", "json");
        assertEquals(byDefault.out(), json.out());
        Cli.Result text = cli.run("runs", "show", run, "--output", "text");
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().matches("(?s)run +" + run + "\n.*"), text.toString());
        assertTrue(text.out().contains("status         committed") && text.out().contains("snapshot       " + run), text.toString());
        assertFalse(text.out().trim().startsWith("{"), text.toString());
        assertEquals(2, cli.run("runs", "show", run, "--output", "yaml").exit());
    }

    @EveryDatabase
    void snapshotsShowPrintsTheManifestAsJsonOrTextAndWithRowsWhatItHolds(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        String snapshot = importAnnAndCy(db, cli);
        Cli.Result json = cli.run("snapshots", "show", snapshot, "--output", "json");
        assertEquals(0, json.exit(), json.toString());
        assertEquals(snapshot, json.json().get("snapshot_id").asText());
        assertEquals(cli.run("snapshots", "show", snapshot).out(), json.out(), "JSON by default, as before");

        Cli.Result text = cli.run("snapshots", "show", snapshot, "--output", "text");
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().matches("(?s)snapshot +" + snapshot + "\n.*"), text.toString());
        assertTrue(text.out().contains("database     " + db.settings().redactedUrl()), text.toString());
        assertTrue(text.out().contains("pre.jsonl.gz: 2 rows"), text.toString());
        assertFalse(text.out().contains("Engineer"), "no rows without --rows: " + text);

        Cli.Result rows = cli.run("snapshots", "show", snapshot, "--rows", "--output", "text");
        assertEquals(0, rows.exit(), rows.toString());
        assertTrue(rows.out().matches("(?s).*app_user +update +#\\d+ \\{[^\n]*\"title\":\"Engineer\".*"), "the pre-image: " + rows);
        assertTrue(rows.out().matches("(?s).*app_user +insert +key \\{\"email\":\"cy@acme.example\"\\}.*"), "the inserted key: " + rows);

        Cli.Result rowsJson = cli.run("snapshots", "show", snapshot, "--rows", "--output", "json");
        assertEquals(0, rowsJson.exit(), rowsJson.toString());
        JsonNode o = rowsJson.json();
        assertEquals(snapshot, o.get("snapshot_id").asText());
        assertEquals(2, o.get("rows").size(), rowsJson.toString());
        assertEquals("Engineer", o.get("rows").get(0).get("row").get("title").asText(), rowsJson.toString());
        assertEquals("cy@acme.example", o.get("rows").get(1).get("key").get("email").asText(), rowsJson.toString());
    }
}
