package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code --output json} object keeps the shape of DESIGN.md §3 whatever happens: {@code csv} is
 * one object for a one-file import (an array of them for {@code import all}), and a file rejected
 * as a whole names its reason under {@code errors} like any row error.
 */
class JsonOutputTest {
    static final String H = UsersImportTest.HEADER;

    @TempDir
    Path dir;

    /** A whole-file rejection: how to make the file, then the error it must give. */
    record Case(String name, String code, long line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> matrix() {
        List<Case> cases = List.of(
                new Case("missing file", "io_error", 0),
                new Case("UTF-16 file", "unsupported_encoding", 1),
                new Case("misspelt header", "unknown_column", 1));
        return TestDatabase.kinds().flatMap(k -> cases.stream().map(c -> Arguments.of(k, c)));
    }

    private static Path make(Cli cli, Case c) {
        return switch (c.name()) {
            case "missing file" -> cli.dir.resolve("users.csv");
            case "UTF-16 file" -> cli.bytes("users.csv", new byte[] {(byte) 0xff, (byte) 0xfe, 'e', 0, 'm', 0, 'a', 0});
            default -> cli.csv("users.csv", "email,frist_name,last_name", "ann@acme.example,Ann,Lee");
        };
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("matrix")
    void wholeFileRejectionKeepsTheCsvObjectAndListsItsError(String kind, Case c) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            UsersImportTest.orgStructure(db);
            Cli cli = new Cli(db, dir);
            Map<String, String> before = UsersImportTest.referenceState(db);
            Path f = make(cli, c);
            Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
            assertEquals(1, r.exit(), r.toString());
            JsonNode j = r.json();
            assertEquals("rejected", j.get("status").asText());

            JsonNode csv = j.get("csv");
            assertTrue(csv.isObject(), "csv is an object, as in DESIGN.md §3: " + r);
            assertEquals(f.toString(), csv.get("path").asText());
            assertTrue(csv.get("sha256").isNull(), "the file was not read through: " + r);
            assertEquals(0, csv.get("rows").asLong());

            JsonNode errors = j.get("errors");
            assertFalse(errors.isEmpty(), "the reason is under errors, not only in message: " + r);
            JsonNode e = errors.get(0);
            assertEquals("users.csv", e.get("file").asText(), r.toString());
            assertEquals(c.code(), e.get("code").asText(), r.toString());
            if (c.line() > 0) {
                assertEquals(c.line(), e.get("line").asLong(), r.toString());
            } else {
                assertTrue(e.get("line").isNull(), "no line is known: " + r);
            }
            assertTrue(e.has("column"), r.toString());
            assertFalse(e.get("message").asText().isBlank());
            assertFalse(e.get("message").asText().startsWith("users.csv"), "file and code are fields, not repeated: " + r);
            assertTrue(j.get("message").asText().contains(e.get("message").asText()), r.toString());
            assertEquals(before, UsersImportTest.referenceState(db), "no reference row changed");
            assertFalse(r.err().contains("Exception"), r.toString());
        }
    }

    @EveryDatabase
    void csvIsAnObjectForOneFileAndAnArrayForImportAllWhateverTheCount(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("users.csv", H, "ann@acme.example,Ann,Lee,,,,,,,,");
        Cli.Result one = cli.run("import", "users", "--csv", f.toString(), "--dry-run", "--output", "json");
        assertEquals(0, one.exit(), one.toString());
        JsonNode csv = one.json().get("csv");
        assertTrue(csv.isObject(), one.toString());
        assertEquals(1, csv.get("rows").asLong());
        assertEquals(64, csv.get("sha256").asText().length());
        assertTrue(one.json().get("errors").isEmpty());

        Path folder = Files.createDirectory(dir.resolve("batch"));
        Files.copy(f, folder.resolve("users.csv"));
        Cli.Result all = cli.run("import", "all", "--dir", folder.toString(), "--dry-run", "--output", "json");
        assertEquals(0, all.exit(), all.toString());
        JsonNode list = all.json().get("csv");
        assertTrue(list.isArray() && list.size() == 1, "import all lists its files even when there is one: " + all);
        assertEquals(csv.get("sha256"), list.get(0).get("sha256"));
    }
}
