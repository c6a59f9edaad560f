package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
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
 * Malformed input is rejected with exit 1, an error naming the line (and column where there is
 * one), and no change at all to the database — on H2 and on MariaDB.
 */
class UsersRejectionTest {
    static final String H = UsersImportTest.HEADER;
    static final String BOSS = "boss@acme.example,Zoë,Boss,,,,,,,2019-01-01,true";

    @TempDir
    Path dir;

    record Case(String name, byte[] content, String code, long line, String column) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case text(String name, String code, long line, String column, String... lines) {
        return new Case(name, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), code, line, column);
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(text("unclosed quote", "unclosed_quote", 3, null, H, BOSS, "ann@acme.example,\"Ann,Lee,,,,,,,,", "bob@acme.example,Bob,B,,,,,,,,"));
        byte[] bad = (H + "\n" + BOSS + "\nann@acme.example,Ann,L\u00e9e,,,,,,,,\n").getBytes(StandardCharsets.UTF_8);
        byte[] invalid = new byte[bad.length];
        System.arraycopy(bad, 0, invalid, 0, bad.length);
        for (int i = 0; i < invalid.length - 1; i++) {
            if ((invalid[i] & 0xff) == 0xc3 && (invalid[i + 1] & 0xff) == 0xa9) {
                invalid[i] = (byte) 0xe9; // Latin-1 'é' inside a UTF-8 file
                invalid[i + 1] = 'x';
                break;
            }
        }
        c.add(new Case("invalid UTF-8", invalid, "invalid_utf8", 3, null));
        c.add(text("duplicate email differing in case and blanks", "duplicate_email", 3, "email", H, "ann@acme.example,Ann,Lee,,,,,,,,", " ANN@Acme.example ,Ann,Twice,,,,,,,,"));
        c.add(text("malformed email", "invalid_email", 2, "email", H, "ann(at)acme.example,Ann,Lee,,,,,,,,"));
        c.add(text("impossible date", "invalid_date", 2, "hired_on", H, "ann@acme.example,Ann,Lee,,,,,,,2023-02-30,"));
        c.add(text("date in the wrong format", "invalid_date", 2, "hired_on", H, "ann@acme.example,Ann,Lee,,,,,,,15/01/2020,"));
        c.add(text("too few fields", "field_count", 3, null, H, BOSS, "ann@acme.example,Ann,Lee"));
        c.add(text("too many fields", "field_count", 2, null, H, "ann@acme.example,Ann,Lee,,,,,,,,,extra"));
        c.add(text("unknown column", "unknown_column", 1, "salary", "email,first_name,last_name,salary", "ann@acme.example,Ann,Lee,100"));
        c.add(text("misspelt column", "unknown_column", 1, "frist_name", "email,frist_name,last_name", "ann@acme.example,Ann,Lee"));
        c.add(text("missing required column", "missing_column", 1, "last_name", "email,first_name", "ann@acme.example,Ann"));
        c.add(text("blank required value", "required", 2, "first_name", H, "ann@acme.example,  ,Lee,,,,,,,,"));
        c.add(text("bad boolean", "invalid_boolean", 2, "active", H, "ann@acme.example,Ann,Lee,,,,,,,,maybe"));
        c.add(text("self-manager", "self_manager", 2, "manager_email", H, "ann@acme.example,Ann,Lee,,,,,,ANN@acme.example,,"));
        c.add(text("unknown manager", "unknown_manager", 2, "manager_email", H, "ann@acme.example,Ann,Lee,,,,,,ghost@acme.example,,"));
        c.add(text("manager cycle", "manager_cycle", 2, "manager_email", H, "ann@acme.example,Ann,Lee,,,,,,bob@acme.example,,",
                "bob@acme.example,Bob,B,,,,,,cy@acme.example,,", "cy@acme.example,Cy,C,,,,,,ann@acme.example,,"));
        c.add(text("unknown team", "unknown_team", 2, "team", H, "ann@acme.example,Ann,Lee,,Nowhere,,,,,,"));
        c.add(text("level without ladder", "ladder_required", 2, "ladder", H, "ann@acme.example,Ann,Lee,,,,,3,,,"));
        c.add(text("unknown level", "unknown_level", 2, "level", H, "ann@acme.example,Ann,Lee,,,,ENG,9,,,"));
        c.add(text("level not a number", "invalid_number", 2, "level", H, "ann@acme.example,Ann,Lee,,,,ENG,two,,,"));
        c.add(text("empty file", "empty_file", 1, null, ""));
        c.add(text("duplicate header", "duplicate_header", 1, "email", "email,first_name,last_name,email", "a@acme.example,A,B,a@acme.example"));
        c.add(text("control character", "control_character", 2, "title", H, "ann@acme.example,Ann,Lee,\"Eng\u0007ineer\",,,,,,,"));
        return c;
    }

    static Stream<Arguments> matrix() {
        return TestDatabase.kinds().flatMap(k -> cases().stream().map(c -> Arguments.of(k, c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("matrix")
    void malformedInputIsRejectedWithItsLineAndNothingChanges(String kind, Case c) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            UsersImportTest.orgStructure(db);
            Cli cli = new Cli(db, dir);
            Map<String, String> before = db.state();
            Path f = cli.bytes("users.csv", c.content());
            Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
            assertEquals(1, r.exit(), r.toString());
            JsonNode j = r.json();
            assertEquals("rejected", j.get("status").asText());
            boolean found = false;
            for (JsonNode e : j.get("errors")) {
                if (e.get("code").asText().equals(c.code()) && e.get("line").asLong() == c.line()) {
                    found = true;
                    assertEquals("users.csv", e.get("file").asText());
                    if (c.column() != null) {
                        assertEquals(c.column(), e.get("column").asText(), r.toString());
                    }
                    assertFalse(e.get("message").asText().isBlank());
                }
            }
            assertTrue(found, "expected error " + c.code() + " at line " + c.line() + " in " + r);
            assertEquals(before, db.state(), "nothing changed");
            assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), "no stack trace: " + r.err());

            Cli.Result text = cli.run("import", "users", "--csv", f.toString());
            assertEquals(1, text.exit());
            assertTrue(text.err().contains("users.csv:" + c.line()), "the text error names file and line: " + text);
        }
    }
}
