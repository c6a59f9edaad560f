package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The org, ladders and history importers on their own (not through {@code import all}), on the
 * sample company, on H2 and on the real MariaDB: a dry-run changes nothing, a real import is undone
 * exactly by its rollback, and importing the same file again changes nothing.
 */
class OrgLaddersHistoryImportTest {
    static final Path SAMPLES = ImportAllTest.SAMPLES;

    @TempDir
    Path dir;

    /**
     * One single-file import of the samples: what must be in the database first (each an
     * {@code import ...} argument list), and the import itself.
     */
    record Case(String name, List<List<String>> setup, List<String> args) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<String> org(String file, String... more) {
        List<String> args = new ArrayList<>(List.of("import", "org", "--csv", SAMPLES.resolve(file).toString()));
        args.addAll(List.of(more));
        return args;
    }

    static Stream<Arguments> imports() {
        List<Case> cases = List.of(
                new Case("import ladders", List.of(),
                        List.of("import", "ladders", "--csv", SAMPLES.resolve("ladders.csv").toString())),
                new Case("import org organizations", List.of(), org("organizations.csv")),
                new Case("import org chapters --create-users", List.of(org("organizations.csv")), org("chapters.csv", "--create-users")),
                new Case("import org tribes --create-users", List.of(org("organizations.csv")), org("tribes.csv", "--create-users")),
                new Case("import org teams --create-users", List.of(org("organizations.csv"), org("tribes.csv", "--create-users")),
                        org("teams.csv", "--create-users")),
                new Case("import history", List.of(List.of("import", "all", "--dir", "WITHOUT_HISTORY")),
                        List.of("import", "history", "--csv", SAMPLES.resolve("history.csv").toString())));
        return TestDatabase.kinds().flatMap(kind -> cases.stream().map(c -> Arguments.of(kind, c)));
    }

    static Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    /** The samples without history.csv: everything a history import refers to. */
    private Path samplesWithoutHistory() throws IOException {
        Path target = dir.resolve("without-history");
        if (!Files.isDirectory(target)) {
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(SAMPLES)) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().equals("history.csv")) {
                        Files.copy(f, target.resolve(f.getFileName()));
                    }
                }
            }
        }
        return target;
    }

    /** Every table but the run history (which may record a run that wrote nothing), with its AUTO_INCREMENT. */
    private static Map<String, String> data(Map<String, String> state) {
        Map<String, String> out = new LinkedHashMap<>(state);
        out.remove("safeimport_run");
        return out;
    }

    private Cli.Result run(Cli cli, List<String> args, String... more) throws IOException {
        List<String> all = new ArrayList<>();
        for (String a : args) {
            all.add(a.equals("WITHOUT_HISTORY") ? samplesWithoutHistory().toString() : a);
        }
        all.addAll(List.of(more));
        return cli.run(all.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("imports")
    void dryRunChangesNothingRollbackRestoresExactlyAndReimportIsIdempotent(String kind, Case c) throws IOException {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Cli cli = new Cli(db, dir);
            for (List<String> step : c.setup()) {
                Cli.Result s = run(cli, step);
                assertEquals(0, s.exit(), "setup " + step + ": " + s);
            }
            Map<String, String> before = db.state();
            Map<String, String> referenceBefore = UsersImportTest.referenceState(db);

            Cli.Result dry = run(cli, c.args(), "--dry-run", "--output", "json");
            assertEquals(0, dry.exit(), dry.toString());
            assertEquals("planned", dry.json().get("status").asText());
            assertTrue(dry.json().get("counts").get("insert").asInt() > 0, dry.toString());
            assertEquals(before, db.state(), "a dry-run changes nothing, AUTO_INCREMENT counters and run table included");

            Cli.Result real = run(cli, c.args(), "--output", "json");
            assertEquals(0, real.exit(), real.toString());
            JsonNode j = real.json();
            assertEquals("committed", j.get("status").asText());
            assertEquals(dry.json().get("counts"), j.get("counts"), "the real run does what the dry-run showed");
            assertNotEquals(referenceBefore, UsersImportTest.referenceState(db));
            Map<String, String> after = db.state();

            Cli.Result again = run(cli, c.args(), "--output", "json");
            assertEquals(0, again.exit(), again.toString());
            assertEquals(0, again.json().get("counts").get("insert").asInt(), again.toString());
            assertEquals(0, again.json().get("counts").get("update").asInt(), again.toString());
            assertTrue(again.json().get("snapshot_id").isNull(), "nothing to write, so no snapshot: " + again);
            assertEquals(data(after), data(db.state()), "importing the same file again changes nothing, AUTO_INCREMENT included");

            Cli.Result rb = cli.run("rollback", j.get("snapshot_id").asText(), "--yes", "--output", "json");
            assertEquals(0, rb.exit(), rb.toString());
            assertEquals("restored", rb.json().get("status").asText());
            assertEquals(referenceBefore, UsersImportTest.referenceState(db), "rollback restores every table exactly");
            assertEquals("rolled_back", db.rows("SELECT status FROM safeimport_run WHERE run_id = '" + j.get("run_id").asText() + "'")
                    .get(0).get("status"));
        }
    }

    @EveryDatabase
    void rollbackOfCreateUsersRemovesTheLeadersItCreatedAndNoOtherUser(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "org", "--csv", SAMPLES.resolve("organizations.csv").toString()).exit());
        assertEquals(0, cli.run("import", "org", "--csv", SAMPLES.resolve("tribes.csv").toString(), "--create-users").exit());
        assertEquals(3, db.count("app_user"));
        Map<String, String> before = UsersImportTest.referenceState(db);
        List<Map<String, Object>> usersBefore = db.rows("SELECT id, email, first_name FROM app_user ORDER BY id");

        Cli.Result r = cli.run("import", "org", "--csv", SAMPLES.resolve("teams.csv").toString(), "--create-users", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(7, r.json().get("tables").get("team").get("insert").asInt());
        int created = r.json().get("tables").get("app_user").get("insert").asInt();
        assertTrue(created > 0, r.toString());
        assertEquals(3 + created, db.count("app_user"));
        assertEquals(0, ((Number) db.rows("SELECT COUNT(*) AS n FROM team WHERE leader_id IS NULL").get(0).get("n")).intValue());

        Cli.Result rb = cli.run("rollback", r.json().get("snapshot_id").asText(), "--yes", "--output", "json");
        assertEquals(0, rb.exit(), rb.toString());
        assertEquals(created, rb.json().get("tables").get("app_user").get("removed").asInt());
        assertEquals(before, UsersImportTest.referenceState(db));
        assertEquals(usersBefore, db.rows("SELECT id, email, first_name FROM app_user ORDER BY id"),
                "the leaders an earlier run created are kept");
        assertEquals(0, db.count("team"));
    }

    @EveryDatabase
    void rollbackOfUpdateExistingRestoresEventsAndSnapshotsExactly(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "all", "--dir", SAMPLES.toString()).exit());
        Map<String, String> before = UsersImportTest.referenceState(db);

        Path changed = dir.resolve("history.csv");
        String history = Files.readString(SAMPLES.resolve("history.csv"), StandardCharsets.UTF_8);
        String pay = "Joined as Director of Engineering,MGT,4,Director of Engineering,,150000,";
        String move = "nadia.haddad@acme.example,team_change,2023-02-01,Moved to Onboarding to staff the sign-up redesign,,,,Onboarding,,,";
        assertTrue(history.contains(pay) && history.contains(move));
        Files.writeString(changed, history.replace(pay, "Joined as Director of Engineering,MGT,4,Director of Engineering,,155000,")
                .replace(move, move.substring(0, move.length() - 2) + "70000,EUR,ENG-2"), StandardCharsets.UTF_8);

        Cli.Result r = cli.run("import", "history", "--csv", changed.toString(), "--update-existing", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode t = r.json().get("tables");
        assertEquals(2, t.get("timeline_event").get("update").asInt(), r.toString());
        assertEquals(1, t.get("compensation_snapshot").get("update").asInt(), r.toString());
        assertEquals(1, t.get("compensation_snapshot").get("insert").asInt(), "the moved person's new pay: " + r);
        assertEquals(0, new BigDecimal("70000").compareTo((BigDecimal) db.rows(
                "SELECT c.salary FROM compensation_snapshot c JOIN timeline_event e ON e.id = c.event_id JOIN app_user u ON u.id = e.user_id"
                        + " WHERE u.email = 'nadia.haddad@acme.example' AND e.event_type = 'team_change'").get(0).get("salary")));
        Map<String, String> after = db.state();
        Cli.Result again = cli.run("import", "history", "--csv", changed.toString(), "--update-existing", "--output", "json");
        assertEquals(0, again.json().get("counts").get("insert").asInt() + again.json().get("counts").get("update").asInt(), again.toString());
        assertEquals(data(after), data(db.state()));

        Cli.Result rb = cli.run("rollback", r.json().get("snapshot_id").asText(), "--yes", "--output", "json");
        assertEquals(0, rb.exit(), rb.toString());
        assertEquals(before, UsersImportTest.referenceState(db), "events updated back, the new snapshot removed");
    }

    /**
     * A history row whose event exists and now differs (here: a salary added to a team change) is a
     * duplicate: by default its event and the snapshots derived from it are all skipped, so no
     * snapshot disagrees with its stored event; with --update-existing they change together.
     */
    @EveryDatabase
    void skippedEventSkipsItsSnapshotsUnlessUpdateExisting(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "all", "--dir", SAMPLES.toString()).exit());
        Path changed = dir.resolve("h2.csv");
        String move = "nadia.haddad@acme.example,team_change,2023-02-01,Moved to Onboarding to staff the sign-up redesign,,,,Onboarding,,,";
        String history = Files.readString(SAMPLES.resolve("history.csv"), StandardCharsets.UTF_8);
        assertTrue(history.contains(move));
        Files.writeString(changed, history.replace(move, move.substring(0, move.length() - 2) + "70000,EUR,ENG-2"), StandardCharsets.UTF_8);
        Map<String, String> before = data(db.state());

        Cli.Result text = cli.run("import", "history", "--csv", changed.toString(), "--dry-run");
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().contains("skipped   timeline_event nadia.haddad@acme.example/team_change/2023-02-01"), text.toString());
        assertTrue(text.out().contains("skipped   compensation_snapshot nadia.haddad@acme.example team_change 2023-02-01  not inserted: its event exists and is skipped; use --update-existing"),
                "the plan says the snapshot is skipped with its event: " + text);
        assertFalse(text.out().contains("insert    compensation_snapshot"), text.toString());

        Cli.Result skipped = cli.run("import", "history", "--csv", changed.toString(), "--output", "json");
        assertEquals(0, skipped.exit(), skipped.toString());
        assertEquals(0, skipped.json().get("counts").get("insert").asInt(), skipped.toString());
        assertEquals(2, skipped.json().get("counts").get("skipped").asInt(), "the event and its snapshot: " + skipped);
        assertEquals(before, data(db.state()), "nothing written");

        Cli.Result updated = cli.run("import", "history", "--csv", changed.toString(), "--update-existing", "--output", "json");
        assertEquals(0, updated.exit(), updated.toString());
        assertEquals(1, updated.json().get("tables").get("timeline_event").get("update").asInt(), updated.toString());
        assertEquals(1, updated.json().get("tables").get("compensation_snapshot").get("insert").asInt(), updated.toString());
        List<Map<String, Object>> rows = db.rows("SELECT e.salary AS event_salary, c.salary AS snapshot_salary FROM timeline_event e"
                + " JOIN compensation_snapshot c ON c.event_id = e.id JOIN app_user u ON u.id = e.user_id"
                + " WHERE u.email = 'nadia.haddad@acme.example' AND e.event_type = 'team_change'");
        assertEquals(1, rows.size());
        assertEquals(0, ((BigDecimal) rows.get(0).get("event_salary")).compareTo((BigDecimal) rows.get(0).get("snapshot_salary")));
    }

    /**
     * A history row repeated in the file is one duplicate: its event's key check rejects the row, and
     * with it the compensation and seniority snapshots it derives (they keep no key set of their
     * own, as they are keyed by that event), so the error names the event once.
     */
    @EveryDatabase
    void aRepeatedHistoryRowIsOneDuplicateEvent(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "all", "--dir", samplesWithoutHistory().toString()).exit());
        String hire = "helene.dubois@acme.example,hire,2016-04-11,Joined as Senior Engineer,ENG,3,Senior Engineer,Billing,76000,EUR,ENG-3";
        Path file = dir.resolve("repeated.csv");
        Files.writeString(file, "email,event_type,effective_date,summary,ladder,level,title,team,salary,currency,pay_band\n"
                + hire + "\n" + hire.replace("Joined as", "Hired as") + "\n", StandardCharsets.UTF_8);
        Map<String, String> before = db.state();

        Cli.Result r = cli.run("import", "history", "--csv", file.toString(), "--output", "json");
        assertEquals(1, r.exit(), r.toString());
        JsonNode errors = r.json().get("errors");
        assertEquals(1, errors.size(), "one duplicate, not one per derived snapshot: " + r);
        assertEquals("duplicate_" + ReferenceSchema.table("timeline_event").noun().replace(' ', '_'),
                errors.get(0).get("code").asText(), r.toString());
        assertEquals(3, errors.get(0).get("line").asInt(), r.toString());
        assertTrue(errors.get(0).get("message").asText().contains("line 2"), r.toString());
        assertEquals(before, db.state(), "nothing written");
    }

    @EveryDatabase
    void unknownLeaderNamesTheWaysToCreateIt(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "org", "--csv", SAMPLES.resolve("organizations.csv").toString()).exit());
        Map<String, String> before = db.state();
        Cli.Result r = cli.run("import", "org", "--csv", SAMPLES.resolve("chapters.csv").toString());
        assertEquals(1, r.exit(), r.toString());
        String first = r.err().lines().filter(l -> l.contains("unknown_leader")).findFirst().orElseThrow(() -> new AssertionError(r));
        assertTrue(first.contains("chapters.csv:2: column 'leader_email': unknown_leader: leader 'helene.dubois@acme.example' does not exist")
                && first.contains("--create-users") && first.contains("import all --dir"), first);
        assertFalse(first.contains("import users --csv"), "users need teams, and teams need leaders: " + first);
        assertEquals(data(before), data(db.state()), "a rejected import writes nothing");
    }

    @EveryDatabase
    void integrityErrorsAfterApplyingNameTableAndKeyInText(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "ladders", "--csv", SAMPLES.resolve("ladders.csv").toString()).exit());
        Map<String, String> before = UsersImportTest.referenceState(db);
        Path gap = cli.csv("gap.csv", "type,ladder,aspect,level,title", "level,ENG,,9,Distinguished Engineer");
        Cli.Result text = cli.run("import", "ladders", "--csv", gap.toString());
        assertEquals(3, text.exit(), text.toString());
        assertTrue(text.err().contains("\n  ladder_level ENG/9: level_numbering_gap: ") || text.err().startsWith("  ladder_level ENG/9: level_numbering_gap: "),
                text.toString());
        assertFalse(text.err().lines().anyMatch(l -> l.startsWith("  : ")), "no empty file and line: " + text);
        assertFalse(text.err().contains("column 'ladder_level'"), text.toString());

        Cli.Result json = cli.run("import", "ladders", "--csv", gap.toString(), "--output", "json");
        assertEquals(3, json.exit(), json.toString());
        JsonNode e = json.json().get("errors").get(0);
        assertTrue(e.get("file").isNull() && e.get("line").asInt() == 0, "the JSON of DESIGN.md §3 is unchanged: " + e);
        assertEquals("ladder_level", e.get("column").asText());
        assertEquals("level_numbering_gap", e.get("code").asText());
        assertTrue(e.get("message").asText().startsWith("ENG/9: "), e.toString());
        assertEquals(before, UsersImportTest.referenceState(db));
    }
}
