package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.ForeignSchemas;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db migrate} on a database that already holds the operator's tables (DESIGN.md §7 "What
 * safeimport creates"): with importers declared it adds only safeimport's own tables and changes
 * nothing else; without, it adds the reference schema beside them, or refuses when a name collides.
 */
class AdoptDatabaseTest {
    private static final String CONFIG = """
            importers:
              teams:
                table: accounts_team
                key: [name]
                columns:
                  name: name
            """;

    @TempDir
    Path dir;

    @EveryDatabase(migrated = false)
    void withDeclaredImportersOnlySafeimportsOwnTablesAreCreated(TestDatabase db) throws IOException {
        ForeignSchemas.create(db);
        db.execute("INSERT INTO accounts_team (name) VALUES ('Payments')");
        Map<String, String> operators = db.state();
        Cli cli = new Cli(db, dir);
        String config = Files.writeString(dir.resolve("safeimport.yml"), CONFIG).toString();

        Cli.Result migrate = cli.run("--config", config, "db", "migrate");
        assertEquals(0, migrate.exit(), migrate.toString());
        assertTrue(migrate.out().contains("safeimport's own tables only"), migrate.toString());
        Map<String, String> after = db.state();
        TreeSet<String> added = new TreeSet<>(after.keySet());
        added.removeAll(operators.keySet());
        assertTrue(added.stream().allMatch(t -> t.startsWith("safeimport_")), "only safeimport_* tables are created: " + added);
        assertTrue(added.contains("safeimport_run"), added.toString());
        operators.forEach((table, state) -> assertEquals(state, after.get(table), table + " is left exactly as it was"));
        assertFalse(after.containsKey("app_user"), "no reference schema beside declared importers");

        Cli.Result status = cli.run("--config", config, "db", "status");
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().contains("teams") && status.out().contains("usable"), status.toString());

        Path teams = Files.writeString(dir.resolve("teams.csv"), "name\nPayments\nPlatform\n");
        Cli.Result imported = cli.run("--config", config, "import", "teams", "--csv", teams.toString(), "--output", "json");
        assertEquals(0, imported.exit(), imported.toString());
        assertEquals(1, imported.json().at("/counts/insert").asInt(), imported.toString());
        Cli.Result undo = cli.run("--config", config, "rollback", imported.json().get("snapshot_id").asText(), "--yes");
        assertEquals(0, undo.exit(), undo.toString());
        assertEquals(1, db.count("accounts_team"));

        Path users = Files.writeString(dir.resolve("users.csv"), "email,first_name,last_name\nann@example.com,Ann,Lee\n");
        Map<String, String> beforeBuiltIn = db.state();
        Cli.Result builtIn = cli.run("import", "users", "--csv", users.toString());
        assertEquals(6, builtIn.exit(), "a built-in importer has no reference schema to write here: " + builtIn);
        assertTrue(builtIn.err().contains("not the reference schema the built-in importers write"), builtIn.toString());
        assertEquals(beforeBuiltIn.get("accounts_team"), db.state().get("accounts_team"));

        Cli.Result again = cli.run("--config", config, "db", "migrate");
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("0 migration(s) applied"), again.toString());
    }

    @EveryDatabase(migrated = false)
    void withoutAConfigTheReferenceSchemaIsAddedBesideOtherTables(TestDatabase db) {
        ForeignSchemas.create(db);
        Map<String, String> operators = db.state();
        Cli cli = new Cli(db, dir);
        Cli.Result migrate = cli.run("db", "migrate");
        assertEquals(0, migrate.exit(), migrate.toString());
        Map<String, String> after = db.state();
        assertTrue(after.containsKey("app_user"), after.keySet().toString());
        operators.forEach((table, state) -> assertEquals(state, after.get(table), table + " is left exactly as it was"));
    }

    @EveryDatabase(migrated = false)
    void aTableNamedLikeAReferenceTableIsNeverOverwrittenNorHalfCreatedBeside(TestDatabase db) {
        db.execute("CREATE TABLE team (team_id INT PRIMARY KEY, label VARCHAR(20))");
        Map<String, String> before = db.state();
        Cli cli = new Cli(db, dir);
        Cli.Result migrate = cli.run("db", "migrate");
        assertEquals(6, migrate.exit(), migrate.toString());
        assertTrue(migrate.err().contains("already holds a table named team"), migrate.toString());
        assertEquals(before.keySet(), db.state().keySet(), "nothing was created");
    }
}
