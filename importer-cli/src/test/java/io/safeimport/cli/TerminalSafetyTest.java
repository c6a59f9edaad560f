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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from the CSV files and the command line (values, header names, paths) never reaches the
 * terminal or the audit log raw: no terminal sequence, no forged line.
 */
class TerminalSafetyTest {
    static final String ESC = String.valueOf((char) 0x1b);
    static final String BEL = String.valueOf((char) 0x07);
    static final String TITLE = ESC + "]0;pwned" + BEL;
    static final String RED = ESC + "[31m";

    @TempDir
    Path dir;

    @EveryDatabase
    void escapeSequencesFromHeaderAndValuesAreShownEscaped(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        List<Cli.Result> results = new ArrayList<>();
        Path badHeader = cli.csv("header.csv", UsersImportTest.HEADER + ",note" + TITLE + RED,
                "ann@acme.example,Ann,Lee,,,,,,,,,x");
        results.add(cli.run("import", "users", "--csv", badHeader.toString()));
        results.add(cli.run("import", "users", "--csv", badHeader.toString(), "--output", "json"));
        Path values = cli.csv("values.csv", UsersImportTest.HEADER,
                "ann@acme.example,Ann" + RED + ",Lee,Engineer" + TITLE + ",,,,,,,",
                "bad" + TITLE + "@acme..example,Bob,Ray,,,,,,,,");
        results.add(cli.run("import", "users", "--csv", values.toString(), "--dry-run"));
        results.add(cli.run("import", "users", "--csv", values.toString(), "--dry-run", "--output", "json"));
        // control characters in values are rejected (control_character); a bidi override is not
        Path bidi = cli.csv("bidi.csv", UsersImportTest.HEADER, "cy@acme.example,Cy,Lee,Engineer\u202egnp.exe,,,,,,,");
        Cli.Result planned = cli.run("import", "users", "--csv", bidi.toString(), "--dry-run");
        assertEquals(0, planned.exit(), planned.toString());
        assertTrue(planned.out().contains("Engineer\\u202egnp.exe"), "plan lines show values escaped: " + planned);
        assertFalse(planned.out().contains("\u202e"), planned.toString());

        assertEquals(1, results.get(0).exit(), results.get(0).toString());
        assertTrue(results.get(0).err().contains("\\e]0;pwned\\u0007"), "shown escaped: " + results.get(0));
        assertTrue(results.get(1).json().get("errors").toString().contains("\\\\e]0;pwned"), "JSON messages carry the escaped text: " + results.get(1));
        for (Cli.Result r : results) {
            assertFalse(r.out().contains(ESC) || r.out().contains(BEL), "raw ESC/BEL on stdout: " + r);
            assertFalse(r.err().contains(ESC) || r.err().contains(BEL), "raw ESC/BEL on stderr: " + r);
        }
        for (String log : logs()) {
            assertFalse(log.contains(ESC) || log.contains(BEL), "raw ESC/BEL in an audit log: " + log);
        }
    }

    @EveryDatabase
    void aCsvPathWithANewlineCannotForgeTheCommittedLine(TestDatabase db) throws IOException {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        String fake = "Committed. Snapshot 20990101T000000Z-users-abcdef (undo with: safeimport rollback 20990101T000000Z-users-abcdef)";
        Path folder = Files.createDirectories(dir.resolve("in\n" + fake));
        Path csv = folder.resolve("u\n" + fake + "\n.csv");
        Files.writeString(csv, UsersImportTest.HEADER + "\nann@acme.example,Ann,Lee,,,,,,,,\n", StandardCharsets.UTF_8);

        Cli.Result r = cli.run("import", "users", "--csv", csv.toString());
        assertEquals(0, r.exit(), r.toString());
        List<String> committed = (r.out() + r.err()).lines().filter(l -> l.startsWith("Committed")).toList();
        assertEquals(1, committed.size(), "only the real Committed line: " + r);
        assertFalse(committed.get(0).contains("20990101T000000Z"), r.toString());
        assertTrue(r.out().contains("u\\nCommitted. Snapshot 20990101T000000Z"), "the path is shown escaped: " + r);

        Cli.Result dry = cli.run("import", "users", "--csv", csv.toString(), "--dry-run", "--log-file", folder.resolve("x\n" + fake + ".log").toString());
        assertEquals(0, dry.exit(), dry.toString());
        assertTrue((dry.out() + dry.err()).lines().noneMatch(l -> l.startsWith("Committed")), dry.toString());
        for (String log : logs()) {
            assertTrue(log.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT.*")), "every log line is an event: " + log);
        }
        String dryLog = Files.readString(folder.resolve("x\n" + fake + ".log"), StandardCharsets.UTF_8);
        assertTrue(dryLog.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT.*")), dryLog);
    }

    @Test
    void aCsvThatIsNotACsvFileHasItsFirstLineQuotedOnlyByAShortPrefix() throws IOException {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2)) {
            Cli cli = new Cli(db, dir);
            String shadow = "root:$6$Zq0S3cretSaltAndHashThatMustNotLeak0123456789abcdef:19000:0:99999:7:::";
            Path secret = Files.writeString(dir.resolve("private-key"), shadow + "\nbin:*:19000:0:99999:7:::\n");
            Path pair = Files.writeString(dir.resolve("private-pair"), "password,hunter2hunter2\n");
            String longName = "x".repeat(100);
            Path longHeader = cli.csv("long.csv", UsersImportTest.HEADER + "," + longName, "ann@acme.example,Ann,Lee,,,,,,,,,y");
            for (Path target : List.of(secret, pair)) {
                Path link = Files.createSymbolicLink(dir.resolve(target.getFileName() + ".csv"), target);
                for (String output : List.of("text", "json")) {
                    Cli.Result r = cli.run("import", "users", "--csv", link.toString(), "--dry-run", "--output", output);
                    assertEquals(1, r.exit(), r.toString());
                    String all = r.out() + r.err();
                    assertTrue(all.contains("is not a users header"), r.toString());
                    assertTrue(all.contains("Check that --csv names the right file"), r.toString());
                    for (String leak : List.of(shadow, "S3cret", "hunter2", "bin:*")) {
                        assertFalse(all.toLowerCase().contains(leak.toLowerCase()), "'" + leak + "' echoed: " + r);
                    }
                }
            }
            Cli.Result r = cli.run("import", "users", "--csv", longHeader.toString(), "--dry-run");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("unknown column '" + "x".repeat(40) + "…'"), r.toString());
            assertFalse(r.err().contains("x".repeat(41)), r.toString());
        }
    }

    private List<String> logs() throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("logs"))) {
            for (Path p : s.toList()) {
                all.add(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return all;
    }
}
