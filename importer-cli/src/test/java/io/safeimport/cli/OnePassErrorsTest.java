package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run reports every error of every row, format and reference errors mixed, so that
 * {@code --max-errors} sees exactly what the first dry-run reported; and the plan summary is
 * printed only when there is a plan, agreeing with the errors when the run is rejected after
 * planning (issue 20, item 6).
 */
class OnePassErrorsTest {
    static final String H = UsersImportTest.HEADER;

    @TempDir
    Path dir;

    private static Set<String> errors(JsonNode json) {
        Set<String> out = new TreeSet<>();
        for (JsonNode e : json.get("errors")) {
            out.add(e.get("line").asInt() + ":" + e.get("column").asText() + ":" + e.get("code").asText());
        }
        return out;
    }

    @EveryDatabase
    void oneRunFindsEveryFormatAndReferenceErrorAndMaxErrorsSeesTheSame(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("users.csv", H,
                "ann@acme.example,Ann,Lee,,Payments,,,,,,",
                "bob@acme.example,Bob,B,,Nowhere,,,,,2023-02-30,",
                "cy@acme.example,Cy,C,,,,,,,,maybe",
                "dee@acme.example,Dee,D,,,,,,ghost@acme.example,,",
                "eve@acme.example,Eve,E,,,,ENG,7,ann@acme.example,,");
        Set<String> expected = Set.of("3:hired_on:invalid_date", "3:team:unknown_team", "4:active:invalid_boolean",
                "5:manager_email:unknown_manager", "6:level:unknown_level");
        Map<String, String> before = db.state();

        Cli.Result first = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
        assertEquals(1, first.exit(), first.toString());
        assertEquals(expected, errors(first.json()), "format and reference errors in one run: " + first);
        assertEquals(4, first.json().get("counts").get("invalid").asInt(), "four rows are invalid: " + first);
        assertEquals(before, db.state(), "nothing written");
        assertTrue(!Files.exists(dir.resolve("snapshots")) || dir.resolve("snapshots").toFile().list().length == 0,
                "a rejected run takes no snapshot");

        Cli.Result tolerated = cli.run("import", "users", "--csv", f.toString(), "--max-errors", "5", "--dry-run", "--output", "json");
        assertEquals(0, tolerated.exit(), tolerated.toString());
        assertEquals(expected, errors(tolerated.json()), "--max-errors sees exactly the errors the first run reported");
        assertEquals(4, tolerated.json().get("counts").get("invalid").asInt());
        assertEquals(1, tolerated.json().get("counts").get("insert").asInt());

        Cli.Result tooMany = cli.run("import", "users", "--csv", f.toString(), "--max-errors", "4", "--dry-run");
        assertEquals(1, tooMany.exit(), tooMany.toString());
        assertTrue(tooMany.out().contains("Plan: 1 insert, 0 update, 0 unchanged, 0 kept, 4 invalid"), tooMany.toString());
        assertTrue(tooMany.err().contains("rejected: 5 errors in the input (more than --max-errors 4)"), tooMany.toString());
    }

    @EveryDatabase
    void managerCycleCountsItsRowsInvalidInThePlanSummary(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("users.csv", H,
                "ann@acme.example,Ann,Lee,,,,,,bob@acme.example,,",
                "bob@acme.example,Bob,B,,,,,,ann@acme.example,,",
                "dee@acme.example,Dee,D,,,,,,,,");
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--dry-run");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains(", 2 invalid"), "the plan counts the two rows on the cycle: " + r);
        assertTrue(r.err().contains("rejected: 2 errors"), r.toString());
        Cli.Result json = cli.run("import", "users", "--csv", f.toString(), "--dry-run", "--output", "json");
        assertEquals(2, json.json().get("counts").get("invalid").asInt(), json.toString());
        assertEquals(2, json.json().get("errors").size(), json.toString());
    }

    @EveryDatabase
    void noPlanSummaryWhenTheRunStoppedBeforePlanning(TestDatabase db) throws Exception {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Cli.Result missing = cli.run("import", "users", "--csv", dir.resolve("nothere.csv").toString());
        assertEquals(1, missing.exit(), missing.toString());
        assertFalse(missing.out().contains("Plan:"), "no plan was made: " + missing);
        assertTrue(missing.err().contains("no such file"), missing.toString());

        Path f = cli.csv("users.csv", H, "ann@acme.example,Ann,Lee,Engineer,,,,,,,");
        Path plan = dir.resolve("plan.jsonl.gz");
        Cli.Result saved = cli.run("import", "users", "--csv", f.toString(), "--dry-run", "--plan-out", plan.toString());
        assertEquals(0, saved.exit(), saved.toString());
        assertTrue(saved.out().contains("Plan: 1 insert"), saved.toString());
        db.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('ann@acme.example', 'Ann', 'Other')");
        Cli.Result mismatch = cli.run("import", "users", "--csv", f.toString(), "--plan", plan.toString());
        assertEquals(5, mismatch.exit(), mismatch.toString());
        assertFalse(mismatch.out().contains("Plan:"), "a plan that does not match is no plan to sum up: " + mismatch);
    }
}
