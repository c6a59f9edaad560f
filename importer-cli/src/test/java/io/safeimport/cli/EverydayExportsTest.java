package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as spreadsheets and legacy systems write them: semicolon- or tab-separated, in
 * Windows-1252, in a folder next to files {@code import all} does not know. Each is named
 * precisely when refused and read exactly once the operator says how (issue 20, item 5).
 */
class EverydayExportsTest {
    static final String H = UsersImportTest.HEADER;

    @TempDir
    Path dir;

    private static String storedName(TestDatabase db, String email) {
        Map<String, Object> row = db.rows("SELECT first_name, last_name, title FROM app_user WHERE email = '" + email + "'").get(0);
        return row.get("first_name") + "|" + row.get("last_name") + "|" + row.get("title");
    }

    @EveryDatabase
    void semicolonFileIsRefusedWithTheHintThenImportedWithDelimiter(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Map<String, String> before = db.state();
        Path f = cli.csv("users.csv", H.replace(',', ';'),
                "ann@acme.example;Ann;Lee;Engineer, Platform;Payments;Backend;ENG;2;;2020-01-15;true",
                "bob@acme.example;Bob;\"O'Neil; Jr.\";;Platform;;;;ann@acme.example;;");

        Cli.Result refused = cli.run("import", "users", "--csv", f.toString(), "--dry-run", "--output", "json");
        assertEquals(1, refused.exit(), refused.toString());
        JsonNode errors = refused.json().get("errors");
        assertEquals(1, errors.size(), "one error naming the delimiter, not one per column: " + refused);
        assertEquals("wrong_delimiter", errors.get(0).get("code").asText());
        assertEquals(1, errors.get(0).get("line").asInt());
        String message = errors.get(0).get("message").asText();
        assertTrue(message.contains("looks ';'-separated") && message.contains("--delimiter ';'"), message);
        Cli.Result text = cli.run("import", "users", "--csv", f.toString(), "--dry-run");
        assertTrue(text.err().contains("users.csv:1: wrong_delimiter: the file looks ';'-separated"), text.toString());

        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--delimiter", ";", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, r.json().get("counts").get("insert").asInt(), r.toString());
        assertEquals("Ann|Lee|Engineer, Platform", storedName(db, "ann@acme.example"));
        assertEquals("Bob|O'Neil; Jr.|null", storedName(db, "bob@acme.example"));
        assertTrue(!before.equals(db.state()));
    }

    @EveryDatabase
    void tabFileIsImportedWithDelimiterTabOrBackslashT(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("users.csv", H.replace(',', '\t'),
                "ann@acme.example\tAnn\tLee\tEngineer, Platform\tPayments\t\t\t\t\t\t");
        Cli.Result refused = cli.run("import", "users", "--csv", f.toString(), "--dry-run", "--output", "json");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.json().get("errors").get(0).get("message").asText().contains("--delimiter tab"), refused.toString());

        Cli.Result dry = cli.run("import", "users", "--csv", f.toString(), "--delimiter", "\\t", "--dry-run", "--output", "json");
        assertEquals(0, dry.exit(), dry.toString());
        assertEquals(1, dry.json().get("counts").get("insert").asInt(), dry.toString());
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--delimiter", "tab", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("Ann|Lee|Engineer, Platform", storedName(db, "ann@acme.example"));

        Cli.Result bad = cli.run("import", "users", "--csv", f.toString(), "--delimiter", "ab");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("--delimiter must be one character"), bad.toString());
    }

    @EveryDatabase
    void windows1252FileIsReadWithEncodingAndStoredExactly(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Charset cp1252 = Charset.forName("windows-1252");
        byte[] legacy = (H + "\r\n" + "lea@acme.example,L\u00e9a,Fran\u00e7ois,Ing\u00e9nieure \u20ac,,,,,,,\r\n").getBytes(cp1252);
        assertEquals(0xE9, legacy[H.length() + 2 + "lea@acme.example,L".length()] & 0xff, "é is the single byte 0xE9");
        Path f = cli.bytes("users.csv", legacy);
        Map<String, String> before = db.state();

        Cli.Result refused = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
        assertEquals(1, refused.exit(), refused.toString());
        JsonNode e = refused.json().get("errors").get(0);
        assertEquals("invalid_utf8", e.get("code").asText());
        assertTrue(e.get("message").asText().contains("--encoding windows-1252"), refused.toString());
        assertEquals(before, db.state());

        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--encoding", "windows-1252", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("L\u00e9a|Fran\u00e7ois|Ing\u00e9nieure \u20ac", storedName(db, "lea@acme.example"));

        Cli.Result unknown = cli.run("import", "users", "--csv", f.toString(), "--encoding", "klingon-8");
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("--encoding klingon-8"), unknown.toString());
    }

    @EveryDatabase
    void importAllNamesEveryCsvItWouldNotReadAndRefusesUnlessTold(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path folder = Files.createDirectory(dir.resolve("batch"));
        Files.writeString(folder.resolve("users.csv"), H + "\nann@acme.example,Ann,Lee,,,,,,,,\n", StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("employees.csv"), H + "\nbob@acme.example,Bob,B,,,,,,,,\n", StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("Teams.CSV"), "team,tribe,department\n", StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("notes.txt"), "not a CSV file\n", StandardCharsets.UTF_8);
        Map<String, String> before = db.state();

        Cli.Result refused = cli.run("import", "all", "--dir", folder.toString(), "--output", "json");
        assertEquals(2, refused.exit(), refused.toString());
        String all = refused.out() + refused.err();
        assertTrue(all.contains("Teams.CSV") && all.contains("employees.csv") && all.contains("--ignore-unknown-files"), refused.toString());
        assertTrue(!all.contains("notes.txt"), "only CSV files are named: " + refused);
        assertEquals(before, db.state());
        Cli.Result dry = cli.run("import", "all", "--dir", folder.toString(), "--dry-run");
        assertEquals(2, dry.exit(), "a dry-run is refused the same way: " + dry);

        Cli.Result r = cli.run("import", "all", "--dir", folder.toString(), "--ignore-unknown-files", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, db.count("app_user"), "users.csv was read, employees.csv was not");
        String warnings = r.json().get("warnings").toString();
        assertTrue(warnings.contains("employees.csv") && warnings.contains("Teams.CSV"), "the unread files are still named: " + r);
    }
}
