package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code import all} and the org, ladders and history importers, on the sample company. */
class ImportAllTest {
    static final Path SAMPLES = Path.of("..", "samples");

    @TempDir
    Path dir;

    static Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    private Path copySamples(String name) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(s.contains(from), file + " lacks " + from);
        Files.writeString(file, s.replace(from, to), StandardCharsets.UTF_8);
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @EveryDatabase
    void importAllOfTheSamplesIsCompleteValidAndIdempotent(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        Map<String, String> empty = db.state();
        Cli.Result dry = cli.run("import", "all", "--dir", SAMPLES.toString(), "--dry-run", "--output", "json");
        assertEquals(0, dry.exit(), dry.toString());
        assertEquals(empty, db.state(), "a dry-run of the whole batch changes nothing");

        Cli.Result r = cli.run("import", "all", "--dir", SAMPLES.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode j = r.json();
        assertEquals("committed", j.get("status").asText());
        assertEquals(7, j.get("csv").size());
        assertEquals(45, db.count("app_user"));
        assertEquals(7, db.count("team"));
        assertEquals(89, db.count("timeline_event"));
        assertTrue(db.count("compensation_snapshot") > 0 && db.count("seniority_snapshot") > 0);
        assertEquals(45, j.get("tables").get("app_user").get("insert").asInt());
        assertEquals(0, db.rows("SELECT COUNT(*) AS n FROM team WHERE leader_id IS NULL").get(0).values().iterator().next()
                instanceof Number n ? n.intValue() : -1, "leaders named before their users exist are resolved");
        Cli.Result validate = cli.run("validate", "--output", "json");
        assertEquals(0, validate.exit(), validate.toString());

        Map<String, String> after = db.state();
        Cli.Result again = cli.run("import", "all", "--dir", SAMPLES.toString(), "--output", "json");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(0, again.json().get("counts").get("insert").asInt());
        assertEquals(0, again.json().get("counts").get("update").asInt());
        assertEquals(after, db.state(), "a second identical import changes nothing");
    }

    @EveryDatabase
    void changedBatchAppliesPromotionsHiresAndMovesAndRollsBackExactly(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "all", "--dir", SAMPLES.toString()).exit());
        Map<String, String> afterFirst = UsersImportTest.referenceState(db);

        Path changed = copySamples("changed");
        replace(changed.resolve("teams.csv"), "Billing,Payments,", "Billing,Growth,");
        replace(changed.resolve("users.csv"), "rahul.mehta@acme.example,Rahul,Mehta,Software Engineer I,Checkout,Backend,ENG,1,",
                "rahul.mehta@acme.example,Rahul,Mehta,Software Engineer II,Checkout,Backend,ENG,2,");
        append(changed.resolve("users.csv"), "new.hire@acme.example,Nuno,Hire,Software Engineer I,Billing,Backend,ENG,1,jose.martinez@acme.example,2025-06-02,true");
        append(changed.resolve("history.csv"), "new.hire@acme.example,hire,2025-06-02,Joined,ENG,1,Software Engineer I,Billing,60000,EUR,ENG-1");
        append(changed.resolve("history.csv"), "rahul.mehta@acme.example,promotion,2025-04-01,Promoted,ENG,2,Software Engineer II,Checkout,64000,EUR,ENG-2");

        Cli.Result kept = cli.run("import", "all", "--dir", changed.toString(), "--dry-run", "--output", "json");
        assertEquals(0, kept.exit(), kept.toString());
        assertEquals(1, kept.json().get("tables").get("team").get("kept").asInt(), "moving a team is held back without --force-update");

        Cli.Result r = cli.run("import", "all", "--dir", changed.toString(), "--force-update", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode t = r.json().get("tables");
        assertEquals(1, t.get("team").get("update").asInt());
        assertEquals(1, t.get("app_user").get("insert").asInt());
        assertEquals(1, t.get("app_user").get("update").asInt());
        assertEquals(2, t.get("timeline_event").get("insert").asInt());
        assertEquals("Growth", db.rows("SELECT tr.tribe FROM team t JOIN tribe tr ON tr.id = t.tribe_id WHERE t.team = 'Billing'").get(0).get("tribe"));
        assertEquals(2, ((Number) db.rows("SELECT l.level FROM app_user u JOIN ladder_level l ON l.id = u.level_id WHERE u.email = 'rahul.mehta@acme.example'")
                .get(0).get("level")).intValue());
        assertNotEquals(afterFirst, UsersImportTest.referenceState(db));

        Cli.Result rb = cli.run("rollback", r.json().get("snapshot_id").asText(), "--yes", "--output", "json");
        assertEquals(0, rb.exit(), rb.toString());
        assertEquals(afterFirst, UsersImportTest.referenceState(db), "one rollback undoes the whole batch");
    }

    @EveryDatabase
    void usersBeforeTheOrgStructureAreRefusedNamingTheImportToRunFirst(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        Map<String, String> before = db.state();
        Cli.Result r = cli.run("import", "users", "--csv", SAMPLES.resolve("users.csv").toString(), "--output", "json");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("team 'Checkout' does not exist: import it with `import org --csv teams.csv` first"), r.toString());
        assertEquals(before, db.state());
    }

    @EveryDatabase
    void rollbackIsRefusedWhileALaterRunDependsOnItsRows(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        Path base = copySamples("base");
        Files.delete(base.resolve("history.csv"));
        Cli.Result first = cli.run("import", "all", "--dir", base.toString(), "--output", "json");
        assertEquals(0, first.exit(), first.toString());
        Cli.Result history = cli.run("import", "history", "--csv", SAMPLES.resolve("history.csv").toString(), "--output", "json");
        assertEquals(0, history.exit(), history.toString());
        Map<String, String> state = db.state();
        Cli.Result refused = cli.run("rollback", first.json().get("snapshot_id").asText(), "--yes", "--output", "json");
        assertEquals(5, refused.exit(), refused.toString());
        assertTrue(refused.json().get("message").asText().contains(history.json().get("run_id").asText()),
                "the message names the later run to roll back first: " + refused);
        Map<String, String> now = db.state();
        assertEquals(UsersImportTest.referenceState(db), referenceOf(state));
        assertEquals(state.get("safeimport_run"), now.get("safeimport_run"));

        assertEquals(0, cli.run("rollback", history.json().get("snapshot_id").asText(), "--yes").exit());
        Cli.Result ok = cli.run("rollback", first.json().get("snapshot_id").asText(), "--yes");
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals(0, db.count("app_user"));
    }

    private static Map<String, String> referenceOf(Map<String, String> state) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : UsersImportTest.REFERENCE_TABLES) {
            String s = state.get(t);
            out.put(t, s.substring(0, s.indexOf(" next_id=")));
        }
        return out;
    }

    @EveryDatabase
    void createUsersMakesUnknownLeadersThatAUsersImportCompletes(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "org", "--csv", SAMPLES.resolve("organizations.csv").toString()).exit());
        assertEquals(0, cli.run("import", "org", "--csv", SAMPLES.resolve("tribes.csv").toString(), "--create-users").exit());
        Cli.Result refused = cli.run("import", "org", "--csv", SAMPLES.resolve("chapters.csv").toString(), "--output", "json");
        assertEquals(1, refused.exit());
        assertTrue(refused.out().contains("unknown_leader"), refused.toString());
        assertEquals(3, db.count("app_user"));
        assertEquals(3, ((Number) db.rows("SELECT COUNT(*) AS n FROM app_user WHERE first_name IS NULL").get(0).get("n")).intValue());
    }

    @EveryDatabase
    void laddersOnlyOptionsImportOneKindAndHistoryDuplicatesAreSkippedUnlessUpdated(TestDatabase db) throws IOException {
        Cli cli = new Cli(db, dir);
        Cli.Result ladders = cli.run("import", "ladders", "--csv", SAMPLES.resolve("ladders.csv").toString(), "--ladders-only", "--output", "json");
        assertEquals(0, ladders.exit(), ladders.toString());
        assertEquals(3, db.count("ladder"));
        assertEquals(0, db.count("ladder_level"));
        assertTrue(ladders.json().get("counts").get("skipped").asInt() > 0);
        assertEquals(0, cli.run("import", "ladders", "--csv", SAMPLES.resolve("ladders.csv").toString()).exit());
        assertTrue(db.count("ladder_level") > 0);

        Path base = copySamples("base");
        Files.delete(base.resolve("history.csv"));
        Files.delete(base.resolve("ladders.csv"));
        assertEquals(0, cli.run("import", "all", "--dir", base.toString()).exit());
        assertEquals(0, cli.run("import", "history", "--csv", SAMPLES.resolve("history.csv").toString()).exit());
        Path changed = dir.resolve("history.csv");
        Files.writeString(changed, Files.readString(SAMPLES.resolve("history.csv")).replace(
                "Joined as Director of Engineering,MGT,4,Director of Engineering,,150000,",
                "Joined as Director of Engineering,MGT,4,Director of Engineering,,155000,"));
        Cli.Result skipped = cli.run("import", "history", "--csv", changed.toString(), "--output", "json");
        assertEquals(0, skipped.exit(), skipped.toString());
        assertEquals(0, skipped.json().get("counts").get("update").asInt());
        assertEquals(2, skipped.json().get("counts").get("skipped").asInt(), "the event and its compensation snapshot");
        Cli.Result updated = cli.run("import", "history", "--csv", changed.toString(), "--update-existing", "--output", "json");
        assertEquals(0, updated.exit(), updated.toString());
        assertEquals(1, updated.json().get("tables").get("timeline_event").get("update").asInt());
        assertEquals(1, updated.json().get("tables").get("compensation_snapshot").get("update").asInt());
        List<Map<String, Object>> comp = db.rows("SELECT c.salary FROM compensation_snapshot c JOIN timeline_event e ON e.id = c.event_id "
                + "JOIN app_user u ON u.id = e.user_id WHERE u.email = 'ngozi.okafor@acme.example' AND e.event_type = 'hire'");
        assertEquals(0, new BigDecimal("155000").compareTo((BigDecimal) comp.get(0).get("salary")));
    }

    @EveryDatabase
    void leadersCreatedByAnEarlierFileOfTheBatchAreCompletedByTheUsersFile(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        Cli.Result r = cli.run("import", "all", "--dir", SAMPLES.toString(), "--create-users", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(45, db.count("app_user"), "each leader once: created by the org files, completed by users.csv");
        assertEquals(0, ((Number) db.rows("SELECT COUNT(*) AS n FROM app_user WHERE first_name IS NULL").get(0).get("n")).intValue());
        assertEquals(0, cli.run("validate").exit());
        Map<String, String> after = UsersImportTest.referenceState(db);
        assertEquals(0, cli.run("rollback", r.json().get("snapshot_id").asText(), "--yes").exit());
        assertEquals(0, db.count("app_user"));
        assertTrue(!after.equals(UsersImportTest.referenceState(db)));
    }

    /**
     * A plan is applied chunk by chunk (a history row's event and its snapshots together) unless a
     * required reference points at a later line, as in a ladders file that lists the levels above
     * their ladder: then table by table, and the result is the same as for the file in its usual order.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void requiredReferencesToLaterLinesAreAppliedTableByTable(String kind) throws IOException {
        String query = "SELECT l.ladder, a.aspect, v.level, v.title FROM ladder l LEFT JOIN ladder_aspect a ON a.ladder_id = l.id"
                + " LEFT JOIN ladder_level v ON v.ladder_id = l.id ORDER BY l.ladder, a.aspect, v.level";
        List<Map<String, Object>> usual;
        try (TestDatabase db = TestDatabase.create(kind)) {
            Cli cli = new Cli(db, dir.resolve("usual"));
            Cli.Result r = cli.run("import", "ladders", "--csv", SAMPLES.resolve("ladders.csv").toString(), "--output", "json");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(Files.readString(Path.of(r.json().get("log_file").asText())).contains("order: chunk by chunk"));
            usual = db.rows(query);
        }
        List<String> lines = Files.readAllLines(SAMPLES.resolve("ladders.csv"), StandardCharsets.UTF_8);
        List<String> reversed = new ArrayList<>(lines.subList(1, lines.size()));
        Collections.reverse(reversed);
        reversed.add(0, lines.get(0));
        Path file = dir.resolve("ladders-reversed.csv");
        Files.write(file, reversed, StandardCharsets.UTF_8);
        try (TestDatabase db = TestDatabase.create(kind)) {
            Cli cli = new Cli(db, dir.resolve("reversed"));
            Cli.Result r = cli.run("import", "ladders", "--csv", file.toString(), "--output", "json");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(Files.readString(Path.of(r.json().get("log_file").asText())).contains("order: table by table"));
            assertEquals(usual, db.rows(query));
        }
    }
}
