package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
