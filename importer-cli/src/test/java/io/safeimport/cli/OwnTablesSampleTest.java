package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code samples/own-tables/} does what the README's "Importing into your own tables" says, on the
 * sample's own schema script: usable config, a dry-run of 9 inserts that writes nothing, the import,
 * an unchanged re-import, and the rollback to the exact checksum before.
 */
class OwnTablesSampleTest {
    private static final Path SAMPLE = Path.of("..", "samples", "own-tables");

    @EveryDatabase({TestDatabase.H2, TestDatabase.MARIADB})
    void theSampleRunsAsTheReadmeSays(TestDatabase db) throws IOException {
        String script = Files.readString(SAMPLE.resolve("schema.sql")).replaceAll("(?m)^--.*$", "");
        db.execute(Arrays.stream(script.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new));
        Path dir = Files.createTempDirectory("own-tables-sample");
        Cli cli = new Cli(db, dir);
        String config = SAMPLE.resolve("safeimport.yml").toString();

        Cli.Result check = cli.run("--config", config, "config", "check");
        assertEquals(0, check.exit(), check.toString());
        assertTrue(check.out().contains("2 importer(s) usable: teams, people"), check.toString());
        Map<String, String> before = db.state();

        Cli.Result dry = cli.run("--config", config, "import", "all", "--dir", SAMPLE.toString(), "--dry-run", "--output", "json");
        assertEquals(0, dry.exit(), dry.toString());
        assertEquals(9, dry.json().at("/counts/insert").asInt(), dry.toString());
        assertEquals(before, db.state());

        Cli.Result run = cli.run("--config", config, "import", "all", "--dir", SAMPLE.toString(), "--output", "json");
        assertEquals(0, run.exit(), run.toString());
        assertEquals(6, db.count("crm_person"));
        assertEquals("Leads payments.\nCycles to work.",
                db.rows("SELECT bio FROM crm_person WHERE email = 'ada@example.com'").get(0).get("bio").toString());
        Map<String, String> imported = db.state();
        Cli.Result again = cli.run("--config", config, "import", "all", "--dir", SAMPLE.toString());
        assertEquals(0, again.exit(), again.toString());
        assertEquals(imported.get("crm_person"), db.state().get("crm_person"));

        Cli.Result undo = cli.run("--config", config, "rollback", run.json().get("snapshot_id").asText(), "--yes");
        assertEquals(0, undo.exit(), undo.toString());
        assertEquals(before.get("crm_team").replaceAll(" next_id=.*", ""), db.state().get("crm_team").replaceAll(" next_id=.*", ""));
        assertEquals(before.get("crm_person").replaceAll(" next_id=.*", ""), db.state().get("crm_person").replaceAll(" next_id=.*", ""));
    }
}
