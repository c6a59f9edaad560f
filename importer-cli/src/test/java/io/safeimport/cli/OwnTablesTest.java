package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.ForeignSchemas;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Importers declared in {@code safeimport.yml} over a Django-style schema safeimport did not create
 * ({@link ForeignSchemas}: {@code accounts_team}, and {@code accounts_user} with a primary key named
 * {@code user_pk}, a manager self-reference, a multi-line {@code TEXT}, a {@code DECIMAL(10,2)} and an
 * ENUM), end to end through the command line, with every guarantee the built-ins give.
 */
class OwnTablesTest {
    private static final String CONFIG = """
            importers:
              teams:
                table: accounts_team
                key: [name]
                columns:
                  name: name
              people:
                table: accounts_user
                key: [email]
                columns:
                  email: {column: email, format: email}
                  full_name: full_name
                  bio: bio
                  salary: salary
                  born: born
                  is_staff: is_staff
                  team: {column: team_id, ref: accounts_team.name}
                  manager_email: {column: manager_id, ref: accounts_user.email, format: email}
                  kind: kind
            order: [teams, people]
            """;

    private static final String PEOPLE = "email,full_name,bio,salary,born,is_staff,team,manager_email,kind";

    @TempDir
    Path dir;

    @EveryDatabase
    void importReImportChangeAndRollBackEachRunToTheExactStateBefore(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        String config = write("safeimport.yml", CONFIG).toString();
        Cli.Result check = cli.run("--config", config, "config", "check");
        assertEquals(0, check.exit(), check.toString());

        Path first = folder("first");
        write(first.resolve("teams.csv"), "name\nPayments\nPlatform\n");
        // Ann's manager comes after her, her biography is a quoted multi-line cell, Bob's address is in capitals
        write(first.resolve("people.csv"), PEOPLE + "\n"
                + "ann@example.com,Ann Lee,\"Likes maps.\nAnd trains.\",1200.50,1990-04-01,yes,Payments,BOB@example.com,staff\n"
                + "Bob@Example.com,Bob Stone,,2000,1985-01-02,no,Platform,,Contractor\n");
        Map<String, String> empty = db.state();

        Cli.Result dry = cli.run("--config", config, "import", "all", "--dir", first.toString(), "--dry-run", "--output", "json");
        assertEquals(0, dry.exit(), dry.toString());
        assertEquals(4, dry.json().at("/counts/insert").asInt(), dry.toString());
        assertEquals(empty, db.state(), "a dry-run leaves every table and every identity counter as it was");

        Cli.Result one = cli.run("--config", config, "import", "all", "--dir", first.toString(), "--output", "json");
        assertEquals(0, one.exit(), one.toString());
        String firstSnapshot = one.json().get("snapshot_id").asText();
        Map<String, Object> ann = person(db, "ann@example.com");
        Map<String, Object> bob = person(db, "bob@example.com");
        assertEquals("Likes maps.\nAnd trains.", ann.get("bio"));
        assertEquals(0, new BigDecimal("1200.50").compareTo((BigDecimal) ann.get("salary")));
        assertEquals(number(bob.get("user_pk")), number(ann.get("manager_id")), "the manager named by e-mail, stored as her key");
        assertEquals("contractor", bob.get("kind").toString(), "an ENUM value as the column spells it");
        Map<String, String> afterFirst = db.state();

        Cli.Result again = cli.run("--config", config, "import", "all", "--dir", first.toString(), "--output", "json");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(0, again.json().at("/counts/insert").asInt() + again.json().at("/counts/update").asInt(), again.toString());
        assertEquals(afterFirst, db.state(), "an unchanged re-import writes nothing and takes no id");

        Path second = folder("second");
        // Ann: a new name, a blank salary (never erases), another team (a relationship: kept); Carl is new
        write(second.resolve("people.csv"), PEOPLE + "\n"
                + "ann@example.com,Ann Lee-Smith,,,1990-04-01,yes,Platform,bob@example.com,staff\n"
                + "carl@example.com,Carl Hu,,10,2000-12-31,no,Platform,ann@example.com,bot\n");
        Cli.Result two = cli.run("--config", config, "import", "people", "--csv", second.resolve("people.csv").toString(),
                "--output", "json");
        assertEquals(0, two.exit(), two.toString());
        JsonNode counts = two.json().get("counts");
        assertEquals(1, counts.get("insert").asInt(), two.toString());
        assertEquals(1, counts.get("update").asInt(), two.toString());
        assertEquals(1, counts.get("kept").asInt(), two.toString());
        Map<String, Object> changed = person(db, "ann@example.com");
        assertEquals("Ann Lee-Smith", changed.get("full_name"));
        assertEquals(0, new BigDecimal("1200.50").compareTo((BigDecimal) changed.get("salary")), "a blank cell never erases");
        assertEquals(number(ann.get("team_id")), number(changed.get("team_id")), "a changed relationship is kept without --force-update");
        assertEquals(number(changed.get("user_pk")), number(person(db, "carl@example.com").get("manager_id")));

        Cli.Result undoTwo = cli.run("--config", config, "rollback", two.json().get("snapshot_id").asText(), "--yes");
        assertEquals(0, undoTwo.exit(), undoTwo.toString());
        assertEquals(checksums(afterFirst), checksums(db.state()), "the second run undone to the exact checksum");
        Cli.Result undoOne = cli.run("--config", config, "rollback", firstSnapshot, "--yes");
        assertEquals(0, undoOne.exit(), undoOne.toString());
        assertEquals(checksums(empty), checksums(db.state()), "the first run undone to the exact checksum");
        assertEquals(0, db.count("accounts_user"));
    }

    @EveryDatabase
    void badValuesAreJudgedByTheColumnsOwnTypeAndNothingIsWritten(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        String config = write("safeimport.yml", CONFIG).toString();
        db.execute("INSERT INTO accounts_team (name) VALUES ('Payments')");
        Path csv = write(dir.resolve("people.csv"), PEOPLE + "\n"
                + "a@example.com,Al,,123456789.00,1990-04-01,yes,Payments,,staff\n"
                + "b@example.com,Bo,,1.234,1990-04-01,yes,Payments,,staff\n"
                + "c@example.com,Cy,,1,2023-02-30,yes,Payments,,staff\n"
                + "d@example.com,Di,,1,1990-04-01,maybe,Payments,,staff\n"
                + "e@example.com,Ed,,1,1990-04-01,yes,Payments,,robot\n"
                + "f@example.com," + "x".repeat(151) + ",,1,1990-04-01,yes,Payments,,staff\n"
                + "g@example.com,Gus,,1,1990-04-01,yes,,,staff\n"
                + "not-an-address,Hal,,1,1990-04-01,yes,Payments,,staff\n");
        Map<String, String> before = db.state();
        Cli.Result r = cli.run("--config", config, "import", "people", "--csv", csv.toString(), "--output", "json");
        assertEquals(1, r.exit(), r.toString());
        Map<Integer, String> codes = new HashMap<>();
        Map<Integer, String> columns = new HashMap<>();
        for (JsonNode e : r.json().get("errors")) {
            codes.put(e.get("line").asInt(), e.get("code").asText());
            columns.put(e.get("line").asInt(), e.get("column").asText());
            assertEquals("people.csv", e.get("file").asText());
        }
        assertEquals(Map.of(2, "out_of_range", 3, "too_many_decimals", 4, "invalid_date", 5, "invalid_boolean",
                6, "invalid_value", 7, "too_long", 8, "required", 9, "invalid_email"), codes, r.toString());
        assertEquals(Map.of(2, "salary", 3, "salary", 4, "born", 5, "is_staff", 6, "kind", 7, "full_name", 8, "team", 9, "email"),
                columns, r.toString());
        assertEquals(checksums(before), checksums(db.state()), "nothing written");
    }

    @EveryDatabase
    void aNotNullColumnWithoutDefaultMayBeBlankOrLeftOutForAStoredRowButNotForANewOne(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        String config = write("safeimport.yml", CONFIG).toString();
        db.execute("INSERT INTO accounts_team (name) VALUES ('Payments')");
        Path first = write(dir.resolve("first.csv"), PEOPLE + "\nann@example.com,Ann,,,,,Payments,,staff\n");
        assertEquals(0, cli.run("--config", config, "import", "people", "--csv", first.toString()).exit());
        Map<String, Object> ann = person(db, "ann@example.com");

        // team_id is NOT NULL without a default: a stored row's blank team keeps the stored one
        Path blank = write(dir.resolve("blank.csv"), PEOPLE + "\nann@example.com,Ann Lee,,,,,,,staff\n");
        Cli.Result kept = cli.run("--config", config, "import", "people", "--csv", blank.toString(), "--output", "json");
        assertEquals(0, kept.exit(), kept.toString());
        assertEquals(1, kept.json().at("/counts/update").asInt(), kept.toString());
        assertEquals("Ann Lee", person(db, "ann@example.com").get("full_name"));
        assertEquals(number(ann.get("team_id")), number(person(db, "ann@example.com").get("team_id")), "a blank never erases");

        // a file of updates may leave the column out altogether
        Path without = write(dir.resolve("without.csv"), "email,full_name\nann@example.com,Ann Lee-Ray\n");
        Cli.Result narrow = cli.run("--config", config, "import", "people", "--csv", without.toString(), "--output", "json");
        assertEquals(0, narrow.exit(), narrow.toString());
        assertEquals("Ann Lee-Ray", person(db, "ann@example.com").get("full_name"));

        // a new row cannot leave it blank or out: refused with its line and CSV column, nothing written
        Map<String, String> before = db.state();
        Path newRows = write(dir.resolve("new.csv"), "email,full_name\nann@example.com,Ann\nbo@example.com,Bo\n");
        Cli.Result refused = cli.run("--config", config, "import", "people", "--csv", newRows.toString(), "--output", "json");
        assertEquals(1, refused.exit(), refused.toString());
        assertEquals(1, refused.json().get("errors").size(), refused.toString());
        JsonNode e = refused.json().get("errors").get(0);
        assertEquals(3, e.get("line").asInt(), refused.toString());
        assertEquals("team", e.get("column").asText(), refused.toString());
        assertEquals("required", e.get("code").asText(), refused.toString());
        assertTrue(e.get("message").asText().contains("accounts_user.team_id is NOT NULL without a default"), refused.toString());
        assertEquals(before, db.state(), "nothing written");
    }

    @EveryDatabase
    void aReferenceToARowThatDoesNotExistNamesTheCsvColumnAndTheImporterThatCreatesIt(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        String config = write("safeimport.yml", CONFIG.replace("team: {column: team_id", "squad: {column: team_id")).toString();
        Path csv = write(dir.resolve("people.csv"), PEOPLE.replace(",team,", ",squad,") + "\n"
                + "ann@example.com,Ann,,,,,Nowhere,,staff\n");
        Cli.Result r = cli.run("--config", config, "import", "people", "--csv", csv.toString(), "--output", "json");
        assertEquals(1, r.exit(), r.toString());
        JsonNode e = r.json().get("errors").get(0);
        assertEquals("squad", e.get("column").asText(), r.toString());
        assertEquals("unknown_team", e.get("code").asText(), r.toString());
        assertTrue(e.get("message").asText().contains("'Nowhere' does not exist: import it with `import teams --csv teams.csv` first"),
                r.toString());
    }

    @EveryDatabase
    void aKeyWithoutAUniqueIndexIsRefusedBeforeAnythingIsRead(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        String config = write("safeimport.yml", CONFIG.replace("key: [email]", "key: [full_name]")).toString();
        Path csv = write(dir.resolve("people.csv"), PEOPLE + "\nthis is not even read\n");
        Map<String, String> before = db.state();
        Cli.Result r = cli.run("--config", config, "import", "people", "--csv", csv.toString());
        assertEquals(6, r.exit(), r.toString());
        assertTrue(r.err().contains("unique index"), r.toString());
        assertTrue(r.err().contains("nothing was read or written"), r.toString());
        assertEquals(before, db.state());
    }

    @EveryDatabase
    void aRollbackAcrossASchemaChangeIsRefusedNamingTheTable(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        String config = write("safeimport.yml", CONFIG).toString();
        Path teams = write(dir.resolve("teams.csv"), "name\nPayments\n");
        Cli.Result r = cli.run("--config", config, "import", "teams", "--csv", teams.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        db.execute("ALTER TABLE accounts_team ADD COLUMN motto VARCHAR(40)");
        Map<String, String> before = db.state();
        Cli.Result undo = cli.run("--config", config, "rollback", r.json().get("snapshot_id").asText(), "--yes");
        assertEquals(5, undo.exit(), undo.toString());
        assertTrue(undo.err().contains("table accounts_team was redefined"), undo.toString());
        assertEquals(1, db.count("accounts_team"));
        assertEquals(before.get("accounts_team"), db.state().get("accounts_team"));

        Cli.Result noConfig = cli.run("rollback", r.json().get("snapshot_id").asText(), "--yes");
        assertEquals(5, noConfig.exit(), noConfig.toString());
        assertTrue(noConfig.err().contains("declared in safeimport.yml"), noConfig.toString());
    }

    @EveryDatabase
    void declaredImportersAreCommandsWithTheirOwnHelp(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        String config = write("safeimport.yml", CONFIG).toString();
        Cli.Result help = cli.run("--config", config, "import", "--help");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().contains("people") && help.out().contains("Import accounts_user as declared in safeimport.yml"), help.toString());
        Cli.Result own = cli.run("--config", config, "import", "people", "--help");
        assertTrue(own.out().contains("--dry-run") && own.out().contains("--csv"), own.toString());
        Cli.Result without = cli.run("import", "people", "--csv", "x.csv");
        assertEquals(2, without.exit(), without.toString());
    }

    @EveryDatabase
    void theUndoCommandAnImportPrintsRunsAsPrintedWithTheConfigAndDatabaseItNamed(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        String config = write("elsewhere.yml", CONFIG).toString(); // not ./safeimport.yml: only --config finds it
        Map<String, String> before = db.state();
        Path teams = write(dir.resolve("teams.csv"), "name\nPayments\n");
        Cli.Result r = cli.run("--config", config, "import", "teams", "--csv", teams.toString());
        assertEquals(0, r.exit(), r.toString());
        String hint = r.out().lines().filter(l -> l.contains("undo with: ")).findFirst().orElseThrow()
                .replaceAll(".*undo with: (.*)\\)$", "$1");
        List<String> words = shellWords(hint);
        assertEquals("safeimport", words.get(0), hint);
        assertTrue(words.contains("--config") && words.contains(config), hint);
        List<String> args = new ArrayList<>(words.subList(1, words.size()));
        args.add("--yes");
        Cli.Result undo = Cli.raw(args.toArray(String[]::new));
        assertEquals(0, undo.exit(), hint + "\n" + undo);
        assertEquals(checksums(before), checksums(db.state()), "the printed command undid the run");
    }

    /** The words a POSIX shell makes of {@code line}: split at blanks, single quotes kept together ({@code '\\''} an escaped quote). */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == '\\' && !quoted && i + 1 < line.length()) {
                w.append(line.charAt(++i));
            } else if (c == ' ' && !quoted) {
                if (any || w.length() > 0) {
                    words.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
            }
        }
        if (any || w.length() > 0) {
            words.add(w.toString());
        }
        return words;
    }

    private static Map<String, Object> person(TestDatabase db, String email) {
        List<Map<String, Object>> rows = db.rows("SELECT * FROM accounts_user WHERE email = '" + email + "'");
        assertEquals(1, rows.size(), email);
        return rows.get(0);
    }

    private static Long number(Object v) {
        return v == null ? null : ((Number) v).longValue();
    }

    /**
     * The checksum of each table a run may change, without safeimport's own records of the runs and
     * without the identity counters (a rollback removes rows; the ids they took stay taken).
     */
    private static Map<String, String> checksums(Map<String, String> state) {
        Map<String, String> out = new HashMap<>();
        state.forEach((table, s) -> {
            if (!table.startsWith("safeimport_") && !table.startsWith("flyway")) {
                out.put(table, s.replaceAll(" next_id=.*", ""));
            }
        });
        return out;
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path write(String name, String text) {
        return write(dir.resolve(name), text);
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
