package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback refuses rows that later imports wrote again, even when those imports left the values
 * as the rolled-back run had them; a later import that was itself rolled back does not count.
 */
class RollbackRewrittenTest {
    @TempDir
    Path dir;

    private static Path users(Cli cli, String name, String... rows) {
        String[] lines = new String[rows.length + 1];
        lines[0] = UsersImportTest.HEADER;
        System.arraycopy(rows, 0, lines, 1, rows.length);
        return cli.csv(name, lines);
    }

    private static String imported(Cli cli, Path csv) {
        Cli.Result r = cli.run("import", "users", "--csv", csv.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        return r.json().get("snapshot_id").asText();
    }

    @EveryDatabase
    void rowsChangedAndChangedBackByLaterRunsAreNotSilentlyRestored(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Map<String, String> empty = UsersImportTest.referenceState(db);
        String a = imported(cli, users(cli, "a.csv", "ann@acme.example,Ann,Lee,Engineer,,,,,,,", "bob@acme.example,Bob,Ray,,,,,,,,"));
        imported(cli, users(cli, "b.csv", "ann@acme.example,Ann,Lee,Staff Engineer,,,,,,,"));
        String c = imported(cli, users(cli, "c.csv", "ann@acme.example,Ann,Lee,Engineer,,,,,,,"));
        Map<String, String> now = UsersImportTest.referenceState(db);

        Cli.Result refused = cli.run("rollback", a, "--yes", "--output", "json");
        assertEquals(5, refused.exit(), refused.toString());
        String message = refused.json().get("message").asText();
        assertTrue(message.contains("ann@acme.example") && message.contains(c), "names the row and the run: " + refused);
        assertTrue(!message.contains("bob@acme.example"), "bob was not written again: " + refused);
        assertEquals(now, UsersImportTest.referenceState(db), "nothing restored");

        Cli.Result forced = cli.run("rollback", a, "--yes", "--force", "--output", "json");
        assertEquals(0, forced.exit(), forced.toString());
        assertEquals(empty, UsersImportTest.referenceState(db));
    }

    @EveryDatabase
    void aLaterImportThatWasRolledBackDoesNotBlock(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Map<String, String> empty = UsersImportTest.referenceState(db);
        String a = imported(cli, users(cli, "a.csv", "ann@acme.example,Ann,Lee,Engineer,,,,,,,"));
        String b = imported(cli, users(cli, "b.csv", "ann@acme.example,Ann,Lee,Staff Engineer,,,,,,,"));
        Cli.Result undoB = cli.run("rollback", b, "--yes", "--output", "json");
        assertEquals(0, undoB.exit(), undoB.toString());

        Cli.Result undoA = cli.run("rollback", a, "--yes", "--output", "json");
        assertEquals(0, undoA.exit(), undoA.toString());
        assertEquals(empty, UsersImportTest.referenceState(db));
    }
}
