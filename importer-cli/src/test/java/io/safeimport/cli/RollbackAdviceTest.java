package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

/** Every ID a rollback refusal tells the operator to roll back is accepted by {@code rollback}, and doing so works. */
class RollbackAdviceTest {
    private static final Pattern HINT = Pattern.compile("roll back (\\d{8}T\\d{6}Z-[a-z]+-[0-9a-f]{6}) (instead|first)");

    @TempDir
    Path dir;

    private static Path users(Cli cli, String name, String... rows) {
        String[] lines = new String[rows.length + 1];
        lines[0] = UsersImportTest.HEADER;
        System.arraycopy(rows, 0, lines, 1, rows.length);
        return cli.csv(name, lines);
    }

    private static String imported(Cli cli, Path csv, String... extra) {
        List<String> args = new ArrayList<>(List.of("import", "users", "--csv", csv.toString(), "--output", "json"));
        args.addAll(List.of(extra));
        Cli.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        return r.json().get("snapshot_id").asText();
    }

    /** The ID a refusal says to roll back. */
    private static String hint(Cli.Result refused) {
        Matcher m = HINT.matcher(refused.json().get("message").asText());
        assertTrue(m.find(), "the refusal names an ID to roll back: " + refused);
        return m.group(1);
    }

    @EveryDatabase
    void theIdARefusalSuggestsIsAcceptedAndRedoesOrUndoesTheRun(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Map<String, String> empty = UsersImportTest.referenceState(db);
        String a = imported(cli, users(cli, "a.csv", "ann@acme.example,Ann,Lee,Engineer,,,,,,,"));
        Map<String, String> afterA = UsersImportTest.referenceState(db);

        Cli.Result undo = cli.run("rollback", a, "--yes", "--output", "json");
        assertEquals(0, undo.exit(), undo.toString());
        assertEquals(undo.json().get("run_id").asText(), undo.json().get("safety_snapshot_id").asText(),
                "a rollback's run and its safety snapshot are one ID");
        assertEquals(empty, UsersImportTest.referenceState(db));

        Cli.Result again = cli.run("rollback", a, "--yes", "--output", "json");
        assertEquals(5, again.exit(), again.toString());
        String redo = hint(again);
        assertEquals(undo.json().get("run_id").asText(), redo);
        Cli.Result redone = cli.run("rollback", redo, "--yes", "--output", "json");
        assertEquals(0, redone.exit(), redone.toString());
        assertEquals(afterA, UsersImportTest.referenceState(db), "rolling back the rollback puts the run's rows back");

        Cli.Result third = cli.run("rollback", a, "--yes", "--output", "json");
        assertEquals(5, third.exit(), third.toString());
        String undoAgain = hint(third);
        assertEquals(redone.json().get("run_id").asText(), undoAgain, "the rollback still in force is named: " + third);
        Cli.Result undone = cli.run("rollback", undoAgain, "--yes", "--output", "json");
        assertEquals(0, undone.exit(), undone.toString());
        assertEquals(empty, UsersImportTest.referenceState(db));

        Cli.Result text = cli.run("rollback", undone.json().get("run_id").asText(), "--yes");
        assertEquals(0, text.exit(), text.toString());
        Matcher m = Pattern.compile("undo it with: safeimport rollback (\\S+)").matcher(text.out());
        assertTrue(m.find(), text.toString());
        assertEquals(afterA, UsersImportTest.referenceState(db));
        assertEquals(0, cli.run("rollback", m.group(1), "--yes").exit(), "the ID the text output prints is accepted");
        assertEquals(empty, UsersImportTest.referenceState(db));
    }

    @EveryDatabase
    void aLaterRunThatChangedTheRowsIsNamedAndRollingItBackFirstLetsTheRunRollBack(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Map<String, String> empty = UsersImportTest.referenceState(db);
        String a = imported(cli, users(cli, "a.csv", "ann@acme.example,Ann,Lee,Engineer,Payments,,,,,,",
                "bob@acme.example,Bob,Ray,,Payments,,,,,,"));
        String b = imported(cli, users(cli, "b.csv", "ann@acme.example,Ann,Lee,Engineer,Platform,,,,,,"), "--force-update");
        Map<String, String> afterB = UsersImportTest.referenceState(db);

        Cli.Result refused = cli.run("rollback", a, "--yes", "--output", "json");
        assertEquals(5, refused.exit(), refused.toString());
        String message = refused.json().get("message").asText();
        assertTrue(message.contains("ann@acme.example"), refused.toString());
        assertEquals(b, hint(refused), "names the later run to roll back first: " + refused);
        assertTrue(message.contains("first"), refused.toString());
        assertEquals(afterB, UsersImportTest.referenceState(db), "nothing restored");

        Cli.Result undoB = cli.run("rollback", b, "--yes", "--output", "json");
        assertEquals(0, undoB.exit(), undoB.toString());
        Cli.Result undoA = cli.run("rollback", a, "--yes", "--output", "json");
        assertEquals(0, undoA.exit(), undoA.toString());
        assertEquals(empty, UsersImportTest.referenceState(db));
    }
}
