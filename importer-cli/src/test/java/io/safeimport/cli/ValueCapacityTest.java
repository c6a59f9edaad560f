package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value that passes validation fits the column it goes to, on H2 and on the real MariaDB:
 * a value the column cannot hold is a row error (exit 1, nothing written) naming file, line and
 * column, never a failure at apply time; and a value that is written reads back exactly.
 */
class ValueCapacityTest {
    static final String USERS = UsersImportTest.HEADER;
    static final String EMOJI = "\uD83D\uDE00";

    @TempDir
    Path dir;

    /** One file that must be rejected at validation: the import, the file, and the error expected at line 2. */
    record Case(String name, String importer, String file, String column, String code, String... lines) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("ladder code longer than its column", "ladders", "ladders.csv", "ladder", "too_long",
                "ladder,title", "L".repeat(150) + ",Long ladder"));
        c.add(new Case("aspect's ladder code longer than its column", "ladders", "ladders.csv", "ladder", "too_long",
                "type,ladder,aspect,title", "aspect," + "L".repeat(101) + ",Impact,Impact"));
        c.add(new Case("title of 201 emoji", "users", "users.csv", "title", "too_long",
                USERS, "ann@acme.example,Ann,Lee," + EMOJI.repeat(201) + ",,,,,,,"));
        c.add(new Case("hire date with a five-digit year", "users", "users.csv", "hired_on", "invalid_date",
                USERS, "ann@acme.example,Ann,Lee,,,,,,,+10000-01-01,"));
        c.add(new Case("hire date with a negative year", "users", "users.csv", "hired_on", "invalid_date",
                USERS, "ann@acme.example,Ann,Lee,,,,,,,-0001-06-01,"));
        c.add(new Case("hire date in year 0", "users", "users.csv", "hired_on", "invalid_date",
                USERS, "ann@acme.example,Ann,Lee,,,,,,,0000-06-01,"));
        c.add(new Case("event date with a five-digit year", "history", "history.csv", "effective_date", "invalid_date",
                "email,event_type,effective_date", "boss@acme.example,hire,+10000-01-01"));
        return c;
    }

    static Stream<Arguments> matrix() {
        return TestDatabase.kinds().flatMap(k -> cases().stream().map(c -> Arguments.of(k, c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("matrix")
    void valueTheColumnCannotHoldIsRejectedAtValidation(String kind, Case c) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            UsersImportTest.orgStructure(db);
            db.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('boss@acme.example', 'B', 'Oss')");
            Cli cli = new Cli(db, dir);
            Map<String, String> before = db.state();
            Path f = cli.csv(c.file(), c.lines());
            for (String mode : List.of("--dry-run", "--output")) {
                List<String> args = new ArrayList<>(List.of("import", c.importer(), "--csv", f.toString(), "--output", "json"));
                if (mode.equals("--dry-run")) {
                    args.add("--dry-run");
                }
                Cli.Result r = cli.run(args.toArray(String[]::new));
                assertEquals(1, r.exit(), r.toString());
                JsonNode j = r.json();
                assertEquals("rejected", j.get("status").asText(), r.toString());
                JsonNode e = j.get("errors").get(0);
                assertEquals(c.file(), e.get("file").asText(), r.toString());
                assertEquals(2, e.get("line").asLong(), r.toString());
                assertEquals(c.column(), e.get("column").asText(), r.toString());
                assertEquals(c.code(), e.get("code").asText(), r.toString());
                assertEquals(before, db.state(), "nothing written");
                assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            }
            Cli.Result text = cli.run("import", c.importer(), "--csv", f.toString());
            assertEquals(1, text.exit(), text.toString());
            assertTrue(text.err().contains(c.file() + ":2") && text.err().contains(c.column()), text.toString());
        }
    }

    @EveryDatabase
    void datesBeforeTheGregorianReformRoundTripExactly(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path users = cli.csv("users.csv", USERS,
                "ann@acme.example,Ann,Lee,,,,,,,1500-03-01,",
                "bob@acme.example,Bob,Ray,,,,,,,0001-01-01,",
                "cy@acme.example,Cy,Ode,,,,,,,1582-10-04,",
                "dee@acme.example,Dee,Ark,,,,,,,9999-12-31,");
        Cli.Result r = cli.run("import", "users", "--csv", users.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("ann@acme.example 1500-03-01", "bob@acme.example 0001-01-01", "cy@acme.example 1582-10-04",
                "dee@acme.example 9999-12-31"), stored(db, "SELECT email AS k, CAST(hired_on AS CHAR(10)) AS d FROM app_user ORDER BY email"));
        Path history = cli.csv("history.csv", "email,event_type,effective_date,salary,currency",
                "ann@acme.example,hire,1500-03-01,100.00,EUR");
        Cli.Result h = cli.run("import", "history", "--csv", history.toString(), "--output", "json");
        assertEquals(0, h.exit(), h.toString());
        assertEquals(List.of("hire 1500-03-01"),
                stored(db, "SELECT event_type AS k, CAST(effective_date AS CHAR(10)) AS d FROM timeline_event"));
        assertEquals(List.of("100.00 1500-03-01"),
                stored(db, "SELECT TRIM(CAST(salary AS CHAR(20))) AS k, CAST(effective_date AS CHAR(10)) AS d FROM compensation_snapshot"));

        Map<String, String> before = db.state();
        Cli.Result again = cli.run("import", "users", "--csv", users.toString(), "--output", "json");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(0, again.json().get("counts").get("update").asInt(), again.toString());
        assertEquals(4, again.json().get("counts").get("unchanged").asInt(), again.toString());
        Cli.Result historyAgain = cli.run("import", "history", "--csv", history.toString(), "--update-existing", "--output", "json");
        assertEquals(0, historyAgain.exit(), historyAgain.toString());
        JsonNode counts = historyAgain.json().get("counts");
        assertEquals(0, counts.get("insert").asInt() + counts.get("update").asInt(), historyAgain.toString());
        assertEquals(referenceRows(before), referenceRows(db.state()), "an unchanged re-import writes nothing");

        Path retitled = cli.csv("retitled.csv", USERS, "ann@acme.example,Ann,Lee,Historian,,,,,,1500-03-01,");
        Cli.Result t = cli.run("import", "users", "--csv", retitled.toString(), "--output", "json");
        assertEquals(0, t.exit(), t.toString());
        assertEquals(1, t.json().get("counts").get("update").asInt(), t.toString());
        Cli.Result back = cli.run("rollback", t.json().get("snapshot_id").asText(), "--yes", "--output", "json");
        assertEquals(0, back.exit(), back.toString());
        assertEquals(referenceRows(before), referenceRows(db.state()), "the rollback restores the old date exactly");
    }

    @EveryDatabase
    void valueTheDatabaseRefusesAtWriteIsNotReportedAsSomeoneElsesWrite(TestDatabase db) {
        db.execute("INSERT INTO ladder (ladder, title) VALUES ('OPS', 'Ops')",
                // a column narrower than the reference schema: validation cannot know, the write fails
                TestDatabase.H2.equals(db.kind()) ? "ALTER TABLE ladder ALTER COLUMN title VARCHAR(10)"
                        : TestDatabase.POSTGRES.equals(db.kind()) ? "ALTER TABLE ladder ALTER COLUMN title TYPE VARCHAR(10)"
                        : "ALTER TABLE ladder MODIFY title VARCHAR(10)");
        Cli cli = new Cli(db, dir);
        Map<String, String> before = UsersImportTest.referenceState(db);
        String longTitle = "A title longer than ten characters";
        for (String line : List.of("ENG," + longTitle, "OPS," + longTitle)) {
            Path f = cli.csv("ladders.csv", "ladder,title", line);
            Cli.Result r = cli.run("import", "ladders", "--csv", f.toString(), "--output", "json");
            assertEquals(5, r.exit(), r.toString());
            String message = r.json().get("message").asText();
            assertFalse(message.contains("someone") || message.contains("since it was planned"), "not a concurrent write: " + r);
            assertTrue(message.contains("would not store a value of ladder") && message.contains("title"), message);
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            // rows only: a refused INSERT may use up an AUTO_INCREMENT value, as any rolled-back insert does
            assertEquals(before, UsersImportTest.referenceState(db), "nothing written");
        }
    }

    @EveryDatabase
    void noBreakSpacesAndStrayByteOrderMarksAreTrimmedFromKeysAndHeaders(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("users.csv", "email,first_name\u00A0,\uFEFFlast_name,team",
                "\u00A0ann@acme.example\u00A0,Ann\u202F,Lee\uFEFF,Payments\u00A0");
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("ann@acme.example Ann|Lee|Payments"), stored(db, "SELECT u.email AS k,"
                + " CONCAT(u.first_name, '|', u.last_name, '|', t.team) AS d FROM app_user u JOIN team t ON t.id = u.team_id"));
    }

    @EveryDatabase
    void utf16WithoutByteOrderMarkIsNamedAsSuch(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        Map<String, String> before = db.state();
        Path f = cli.bytes("users.csv", (USERS + "\nann@acme.example,Ann,Lee,,,,,,,,\n").getBytes(StandardCharsets.UTF_16LE));
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
        assertEquals(1, r.exit(), r.toString());
        JsonNode e = r.json().get("errors").get(0);
        assertEquals("unsupported_encoding", e.get("code").asText(), r.toString());
        assertEquals(1, e.get("line").asLong());
        assertTrue(e.get("message").asText().contains("UTF-16LE") && e.get("message").asText().contains("save it as UTF-8"), r.toString());
        assertFalse(r.out().contains("\\u0000"), "no NUL-riddled column names: " + r);
        assertEquals(before, db.state(), "nothing written");
    }

    @EveryDatabase
    void lengthsCountCharactersSoAColumnHoldsAsManyEmojiAsLetters(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        String title = EMOJI.repeat(200);
        Path f = cli.csv("ladders.csv", "ladder,title", "L".repeat(100) + "," + title);
        Cli.Result r = cli.run("import", "ladders", "--csv", f.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(title), db.rows("SELECT title FROM ladder").stream().map(m -> m.get("title")).toList());
        Cli.Result again = cli.run("import", "ladders", "--csv", f.toString(), "--output", "json");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(1, again.json().get("counts").get("unchanged").asInt(), again.toString());
    }

    /** The reference tables' rows and counters, without safeimport's own run table. */
    private static Map<String, String> referenceRows(Map<String, String> state) {
        Map<String, String> out = new TreeMap<>(state);
        out.keySet().removeIf(t -> t.startsWith("safeimport_"));
        return out;
    }

    /** "k d" for each row of a query selecting columns k and d, both read as text. */
    private static List<String> stored(TestDatabase db, String sql) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : db.rows(sql)) {
            out.add(row.get("k") + " " + row.get("d"));
        }
        return out;
    }
}
