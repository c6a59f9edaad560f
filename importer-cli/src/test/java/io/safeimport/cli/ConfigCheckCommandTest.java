package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.ForeignSchemas;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

/** {@code config check} end to end through the command line, on tables safeimport did not create. */
class ConfigCheckCommandTest {
    private static final String USABLE = """
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
                  email: {column: email, format: email, required: true}
                  full_name: full_name
                  team: {column: team_id, ref: accounts_team.name}
                  manager_email: {column: manager_id, ref: accounts_user.email}
            order: [teams, people]
            """;

    /** Four problems: a missing column, a key without a unique index, a ref to a missing table, an unfilled NOT NULL column. */
    private static final String MISFIT = """
            importers:
              people:
                table: accounts_user
                key: [name]
                columns:
                  email: email
                  name: full_name
                  nick: nickname
                  group: {column: manager_id, ref: accounts_group.name}
            """;

    @TempDir
    Path dir;

    private Path config(String text) {
        try {
            return Files.writeString(dir.resolve("safeimport.yml"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @EveryDatabase(migrated = false)
    void aConfigThatFitsIsUsableExit0InTextAndJson(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        Path file = config(USABLE);
        Cli.Result text = cli.run("--config", file.toString(), "config", "check");
        assertEquals(0, text.exit(), text.toString());
        assertEquals("config " + file + ": 2 importer(s) usable: teams, people\n", text.out(), text.toString());

        Cli.Result json = cli.run("config", "check", "--output", "json", "--config", file.toString());
        assertEquals(0, json.exit(), json.toString());
        JsonNode o = json.json();
        assertEquals(file.toString(), o.get("config").asText());
        assertEquals("usable", o.get("status").asText());
        assertEquals("[\"teams\",\"people\"]", o.get("importers").toString());
        assertEquals(0, o.get("problems").size());
        assertEquals(List.of("config", "status", "importers", "problems"), fieldNames(o));
    }

    @EveryDatabase(migrated = false)
    void aConfigThatDoesNotFitListsEveryProblemExit6(TestDatabase db) {
        ForeignSchemas.create(db);
        Cli cli = new Cli(db, dir);
        Path file = config(MISFIT);
        Cli.Result text = cli.run("--config", file.toString(), "config", "check");
        assertEquals(6, text.exit(), text.toString());
        List<String> lines = text.out().lines().toList();
        assertEquals(5, lines.size(), text.toString());
        assertTrue(lines.get(0).startsWith("safeimport.yml:8: importer people: CSV column nick goes to accounts_user.nickname,"
                + " which does not exist"), text.toString());
        assertTrue(lines.get(1).startsWith("safeimport.yml:9: importer people: ref accounts_group.name: table accounts_group does not"
                + " exist"), text.toString());
        assertTrue(lines.get(2).startsWith("safeimport.yml:4: importer people: key (name) is accounts_user (full_name), which is"
                + " neither the primary key nor exactly a unique index"), text.toString());
        assertTrue(lines.get(3).startsWith("table accounts_user: column team_id is NOT NULL without a default"), text.toString());
        assertEquals("config " + file + ": 4 problem(s): it does not fit the database; correct the file or the tables and run config"
                + " check again", lines.get(4));

        Cli.Result json = cli.run("--config", file.toString(), "config", "check", "--output", "json");
        assertEquals(6, json.exit(), json.toString());
        JsonNode o = json.json();
        assertEquals("invalid", o.get("status").asText());
        assertEquals("[\"people\"]", o.get("importers").toString());
        JsonNode problems = o.get("problems");
        assertEquals(4, problems.size(), json.toString());
        assertEquals("safeimport.yml:8", problems.get(0).get("where").asText());
        assertEquals(8, problems.get(0).get("line").asInt());
        assertTrue(problems.get(0).get("message").asText().startsWith("importer people: CSV column nick"), json.toString());
        assertEquals("table accounts_user", problems.get(3).get("where").asText());
        assertTrue(problems.get(3).get("line").isNull(), json.toString());
    }

    @EveryDatabase(value = TestDatabase.H2, migrated = false)
    void anUnknownKeyOrBadYamlIsExit2NamingTheLine(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        Path file = config(USABLE.replace("    columns:\n      name: name", "    colums:\n      name: name"));
        Cli.Result text = cli.run("--config", file.toString(), "config", "check");
        assertEquals(2, text.exit(), text.toString());
        assertTrue(text.err().contains("safeimport: " + file + ":5:5: unknown key 'colums' in importer teams; did you mean columns?"),
                text.toString());
        assertTrue(text.err().contains("safeimport: " + file + ":2:3: importer teams has no 'columns:'"), text.toString());
        assertEquals("", text.out(), "nothing on stdout without --output json");

        Cli.Result json = cli.run("--config", file.toString(), "config", "check", "--output", "json");
        assertEquals(2, json.exit(), json.toString());
        JsonNode o = json.json();
        assertEquals("invalid", o.get("status").asText());
        assertEquals(2, o.get("problems").size(), json.toString());
        assertEquals(2, o.get("problems").get(0).get("line").asInt());
        assertEquals(5, o.get("problems").get(1).get("line").asInt());
        assertEquals(file + ":5:5", o.get("problems").get(1).get("where").asText());

        Path bad = config("importers:\n  teams:\n    key: [name\n    table: accounts_team\n");
        Cli.Result yaml = cli.run("--config", bad.toString(), "config", "check");
        assertEquals(2, yaml.exit(), yaml.toString());
        assertTrue(yaml.err().matches("(?s)safeimport: " + Pattern.quote(bad.toString()) + ":\\d+:\\d+: not valid YAML \\(.+\\).*"),
                yaml.toString());
        assertFalse(yaml.err().contains("\tat "), "no stack trace");
    }

    @EveryDatabase(value = TestDatabase.H2, migrated = false)
    void noConfigFileIsExit2SayingWhereItLookedAndHowToGiveOne(TestDatabase db) {
        Cli cli = new Cli(db, dir);
        Cli.Result r = cli.run("config", "check");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("no config file: SAFEIMPORT_CONFIG is not set and there is no safeimport.yml in "), r.toString());
        assertTrue(r.err().contains("give one with --config FILE or SAFEIMPORT_CONFIG=FILE"), r.toString());
        Cli.Result missing = cli.run("--config", dir.resolve("nope.yml").toString(), "config", "check", "--output", "json");
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.json().get("message").asText().contains("no such file"), missing.toString());
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
