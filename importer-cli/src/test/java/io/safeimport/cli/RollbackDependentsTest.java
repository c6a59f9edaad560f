package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollback refused because rows written later point at rows the run created names the later
 * runs that wrote those rows — not merely the runs that came later — and its advice works.
 */
class RollbackDependentsTest {
    static final Path SAMPLES = ImportAllTest.SAMPLES;

    @TempDir
    Path dir;

    /** The sample company without its history, imported in one run; returns that run's snapshot ID. */
    private String importCompany(Cli cli) throws IOException {
        Path base = dir.resolve("base");
        Files.createDirectories(base);
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("history.csv")) {
                    Files.copy(f, base.resolve(f.getFileName()));
                }
            }
        }
        Cli.Result r = cli.run("import", "all", "--dir", base.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        return r.json().get("snapshot_id").asText();
    }

    /** A later run that depends on nothing the company import created: a new ladder. */
    private Cli.Result independentLadder(Cli cli) {
        Path f = cli.csv("ops.csv", "type,ladder,aspect,level,title", "ladder,OPS,,,Operations", "level,OPS,,1,Operator");
        Cli.Result r = cli.run("import", "ladders", "--csv", f.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        return r;
    }

    /** A history import of lines {@code from..to} (1-based, header excluded) of the sample history. */
    private Cli.Result history(Cli cli, String name, int from, int to) throws IOException {
        List<String> lines = Files.readAllLines(SAMPLES.resolve("history.csv"), StandardCharsets.UTF_8);
        List<String> part = new ArrayList<>();
        part.add(lines.get(0));
        part.addAll(lines.subList(from, Math.min(to + 1, lines.size())));
        Path f = cli.csv(name, part.toArray(String[]::new));
        Cli.Result r = cli.run("import", "history", "--csv", f.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        return r;
    }

    private static String id(Cli.Result r, String field) {
        return r.json().get(field).asText();
    }

    @EveryDatabase
    void refusalNamesTheOneLaterRunThatWroteTheDependentRows(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        String company = importCompany(cli);
        Cli.Result first = independentLadder(cli);
        Cli.Result dependent = history(cli, "history.csv", 1, 1_000);
        Path org = cli.csv("orgs.csv", "organization,description", "Acme Ventures,Investments");
        Cli.Result last = cli.run("import", "org", "--csv", org.toString(), "--output", "json");
        assertEquals(0, last.exit(), last.toString());
        Map<String, String> state = db.state();

        for (String mode : List.of("--dry-run", "--yes")) {
            Cli.Result refused = cli.run("rollback", company, mode, "--output", "json");
            assertEquals(5, refused.exit(), refused.toString());
            String message = refused.json().get("message").asText();
            assertTrue(message.contains("it was written by run " + id(dependent, "run_id")), message);
            assertTrue(message.contains("Roll back run " + id(dependent, "run_id") + " first"), message);
            assertFalse(message.contains(id(first, "run_id")) || message.contains(id(last, "run_id")),
                    "runs that wrote nothing depending on the company are not blamed: " + message);
            assertTrue(message.contains(" references to its rows in all, written by 1 later run). "), message);
            assertFalse(message.contains("\n"), message);
            assertEquals(state, db.state(), "a refused rollback changes nothing");
        }

        assertEquals(0, cli.run("rollback", id(dependent, "snapshot_id"), "--yes").exit());
        Cli.Result ok = cli.run("rollback", company, "--yes", "--output", "json");
        assertEquals(0, ok.exit(), "the advice was enough: " + ok);
        assertEquals(0, db.count("app_user"));
        assertEquals(1, db.count("ladder"), "the independent later runs stay");
        assertEquals(1, db.count("organization"));
    }

    @EveryDatabase
    void refusalListsEveryLaterRunThatWroteDependentRowsNewestFirst(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        String company = importCompany(cli);
        Cli.Result independent = independentLadder(cli);
        Cli.Result older = history(cli, "history-a.csv", 1, 40);
        Cli.Result newer = history(cli, "history-b.csv", 41, 1_000);

        Cli.Result refused = cli.run("rollback", company, "--yes", "--output", "json");
        assertEquals(5, refused.exit(), refused.toString());
        String message = refused.json().get("message").asText();
        String both = id(newer, "run_id") + ", " + id(older, "run_id");
        assertTrue(message.contains(" references to its rows in all, written by 2 later runs). "), message);
        assertTrue(message.contains("Roll back these 2 runs first, newest first: " + both + " (see `runs list`)"), message);
        assertFalse(message.contains(id(independent, "run_id")), message);
        long events = db.count("timeline_event");
        assertTrue(message.matches(".* \\(\\d+ references to its rows in all, .*"), message);

        assertEquals(0, cli.run("rollback", id(newer, "snapshot_id"), "--yes").exit());
        Cli.Result still = cli.run("rollback", company, "--yes", "--output", "json");
        assertEquals(5, still.exit(), still.toString());
        assertTrue(still.json().get("message").asText().contains("Roll back run " + id(older, "run_id") + " first"), still.toString());
        assertTrue(db.count("timeline_event") < events);
        assertEquals(0, cli.run("rollback", id(older, "snapshot_id"), "--yes").exit());
        assertEquals(0, cli.run("rollback", company, "--yes").exit());
        assertEquals(0, db.count("app_user"));
    }
}
