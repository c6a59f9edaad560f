package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator reads in a report: relationships by natural key, {@code kept} counting the
 * changes held back, warnings a script can filter, and every exit code documented (issue 20, item 8).
 */
class PlanReportTest {
    static final String H = UsersImportTest.HEADER;

    @TempDir
    Path dir;

    private Path start(Cli cli) {
        Path first = cli.csv("first.csv", H,
                "boss@acme.example,Zoe,Boss,Head,Platform,,ENG,3,,,",
                "ann@acme.example,Ann,Lee,Engineer,Payments,,ENG,2,boss@acme.example,,",
                "bob@acme.example,Bob,B,Engineer,Platform,,ENG,1,boss@acme.example,,");
        assertEquals(0, cli.run("import", "users", "--csv", first.toString()).exit());
        // bob moves team, manager and level (all held back) and gets a new title (applied)
        return cli.csv("moved.csv", H, "bob@acme.example,Bob,B,Senior Engineer,Payments,,ENG,2,ann@acme.example,,");
    }

    @EveryDatabase
    void keptRelationshipsAreNamedByNaturalKeyAndEachHeldBackChangeCounts(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path moved = start(cli);

        Cli.Result text = cli.run("import", "users", "--csv", moved.toString(), "--dry-run");
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().contains("team: kept 'Platform' (file says 'Payments'; use --force-update)"), text.out());
        assertTrue(text.out().contains("manager: kept 'boss@acme.example' (file says 'ann@acme.example'; use --force-update)"), text.out());
        assertTrue(text.out().contains("level: kept 'ENG/1' (file says 'ENG/2'; use --force-update)"), text.out());
        assertFalse(text.out().contains("#"), "no internal ids: " + text.out());
        assertTrue(text.out().contains("Plan: 0 insert, 1 update, 0 unchanged, 3 kept, 0 invalid"), text.out());

        Cli.Result json = cli.run("import", "users", "--csv", moved.toString(), "--dry-run", "--output", "json");
        JsonNode counts = json.json().get("counts");
        assertEquals(1, counts.get("update").asInt(), json.toString());
        assertEquals(3, counts.get("kept").asInt(), "the three held-back changes of a row whose title is applied: " + json);
        assertEquals(3, json.json().get("tables").get("app_user").get("kept").asInt());

        Cli.Result forced = cli.run("import", "users", "--csv", moved.toString(), "--dry-run", "--force-update");
        assertTrue(forced.out().contains("team: 'Platform' -> 'Payments'") && forced.out().contains("level: 'ENG/1' -> 'ENG/2'")
                && forced.out().contains("manager: 'boss@acme.example' -> 'ann@acme.example'"), forced.out());
        assertTrue(forced.out().contains("Plan: 0 insert, 1 update, 0 unchanged, 0 kept, 0 invalid"), forced.out());
    }

    @EveryDatabase
    void warningsAreObjectsWithCodeFileTableLineAndMessage(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("users.csv", H, "ann@acme.example,Ann,Lee,,,,,,,,", "bob@acme.example,Bob,B,,,,,,,,maybe");
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--no-backup", "--max-errors", "1", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode warnings = r.json().get("warnings");
        JsonNode noBackup = null;
        JsonNode rejected = null;
        for (JsonNode w : warnings) {
            assertTrue(w.isObject(), "a warning is an object: " + r);
            for (String field : new String[] {"code", "file", "table", "line", "message"}) {
                assertTrue(w.has(field), field + " in " + w);
            }
            if (w.get("code").asText().equals("no_backup")) {
                noBackup = w;
            } else if (w.get("code").asText().equals("rows_rejected")) {
                rejected = w;
            }
        }
        assertTrue(noBackup != null && noBackup.get("file").isNull() && noBackup.get("message").asText().contains("cannot be rolled back"), r.toString());
        assertTrue(rejected != null && rejected.get("file").asText().equals("users.csv")
                && rejected.get("message").asText().contains("rejects.csv"), r.toString());

        // a warning-severity integrity finding names its table
        Path org = cli.csv("teams.csv", "team,tribe,department,leader_email", "Search,Core,Engineering,new.lead@acme.example");
        Cli.Result created = cli.run("import", "org", "--csv", org.toString(), "--create-users", "--output", "json");
        assertEquals(0, created.exit(), created.toString());
        boolean finding = false;
        for (JsonNode w : created.json().get("warnings")) {
            if (w.get("table").asText().equals("app_user") && w.get("message").asText().startsWith("new.lead@acme.example")) {
                finding = true;
            }
        }
        assertTrue(finding, "the incomplete user is a warning on table app_user: " + created);
    }

    @Test
    void validateExitOneIsInTheExitCodeList() {
        for (String[] args : new String[][] {{"validate", "--help"}, {"--help"}}) {
            Cli.Result r = Cli.raw(args);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().replaceAll("\\s+", " ").contains("1 input rejected, nothing written (validate: an error-level integrity check failed)"),
                    r.toString());
        }
    }
}
