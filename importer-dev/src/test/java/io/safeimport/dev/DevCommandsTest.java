package io.safeimport.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.run.Environment;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** safeimport-dev on both databases: what each command does, that it can be undone, and the fence. */
class DevCommandsTest {
    private static final String REMOTE = "jdbc:mysql://db.example.invalid:3306/x?connectTimeout=2000";

    @TempDir
    Path dir;

    private static long count(TestDatabase db, String sql) {
        return ((Number) db.rows(sql).get(0).values().iterator().next()).longValue();
    }

    private static void seed(DevCli cli) {
        DevCli.Result seed = cli.dev("seed", "--dir", DevCli.SAMPLES.toString());
        assertEquals(0, seed.exit(), seed.toString());
    }

    @ParameterizedTest
    @MethodSource("io.safeimport.testing.TestDatabase#kinds")
    void seedThenResetEmptiesEveryTableAndTheResetSnapshotRollsBackExactly(String kind) throws IOException {
        try (TestDatabase db = TestDatabase.create(kind); DevCli cli = new DevCli(db, dir)) {
            seed(cli);
            assertEquals(45, db.count("app_user"));
            assertEquals(89, db.count("timeline_event"));
            assertEquals(1, cli.runSnapshots("seed").size(), "seed runs the normal pipeline: one run, one snapshot");
            Map<String, String> seeded = cli.referenceState();

            DevCli.Result reset = cli.dev("reset", "--yes");
            assertEquals(0, reset.exit(), reset.toString());
            for (String t : DevCli.REFERENCE_TABLES) {
                assertEquals(0, db.count(t), t + " is empty after reset");
            }
            List<String> ids = cli.runSnapshots("reset");
            assertEquals(1, ids.size());
            String id = ids.get(0);
            assertTrue(reset.out().contains("./safeimport rollback " + id + " --yes"), reset.toString());
            Map<String, Object> run = db.rows("SELECT mode, status FROM safeimport_run WHERE snapshot_id = '" + id + "'").get(0);
            assertEquals("apply", run.get("mode"));
            assertEquals("committed", run.get("status"));

            JsonNode manifest = JsonLines.MAPPER.readTree(cli.snapshots().resolve(id).resolve("manifest.json").toFile());
            assertEquals("dev-reset", manifest.get("kind").asText());
            assertEquals("complete", manifest.get("state").asText());
            assertEquals(343, manifest.get("files").get("changes.jsonl.gz").get("rows").asLong(), "one change per deleted row");
            DevCli.Result verify = cli.prod("snapshots", "verify", id);
            assertEquals(0, verify.exit(), verify.toString());

            DevCli.Result rollback = cli.prod("rollback", id, "--yes");
            assertEquals(0, rollback.exit(), rollback.toString());
            assertEquals(seeded, cli.referenceState(), "every row is back with its id, and no id was handed out");
            DevCli.Result validate = cli.prod("validate");
            assertEquals(0, validate.exit(), validate.toString());
        }
    }

    @EveryDatabase
    void resetOfAnEmptyDatabaseTakesNoSnapshot(TestDatabase db) {
        try (DevCli cli = new DevCli(db, dir)) {
            DevCli.Result reset = cli.dev("reset", "--yes");
            assertEquals(0, reset.exit(), reset.toString());
            assertTrue(reset.out().contains("already empty"), reset.toString());
            assertEquals(List.of(), cli.snapshotIds());
        }
    }

    @EveryDatabase
    void aDatabaseMarkedProductionIsRefusedByEveryCommandAndNothingChanges(TestDatabase db) {
        try (DevCli cli = new DevCli(db, dir)) {
            seed(cli);
            Environment.mark(db.database(), Environment.Kind.production);
            Map<String, String> before = db.state();
            List<String> snapshotsBefore = cli.snapshotIds();

            for (String[] args : List.of(new String[] {"reset", "--yes"}, new String[] {"reset", "--yes", "--allow-remote"},
                    new String[] {"reset"}, new String[] {"seed", "--dir", DevCli.SAMPLES.toString()},
                    new String[] {"import", "users", "--csv", DevCli.SAMPLES.resolve("users.csv").toString(), "--clear-users", "--yes"})) {
                DevCli.Result r = cli.dev(args);
                assertEquals(5, r.exit(), r.toString());
                assertTrue(r.err().contains("marked 'production'") && r.err().contains("no flag overrides this"), r.toString());
            }
            assertEquals(before, db.state(), "nothing was written, not even a run record");
            assertEquals(snapshotsBefore, cli.snapshotIds(), "no snapshot was taken");
        }
    }

    /**
     * Deny by default: a database nobody marked development (a real database someone migrated
     * without --env, or marked staging) may hold data that matters, so every dev command refuses it,
     * saying how to mark one; once marked development, reset works.
     */
    @EveryDatabase
    void aDatabaseNotMarkedDevelopmentIsRefusedSayingHowToMarkItAndResetWorksOnceMarked(TestDatabase db) {
        try (DevCli cli = DevCli.unmarked(db, dir)) {
            DevCli.Result imported = cli.prod("import", "all", "--dir", DevCli.SAMPLES.toString());
            assertEquals(0, imported.exit(), imported.toString());
            for (Environment.Kind mark : new Environment.Kind[] {null, Environment.Kind.staging}) {
                if (mark != null) {
                    Environment.mark(db.database(), mark);
                }
                Map<String, String> before = db.state();
                List<String> snapshotsBefore = cli.snapshotIds();
                for (String[] args : List.of(new String[] {"reset", "--yes"}, new String[] {"reset", "--yes", "--allow-remote"},
                        new String[] {"seed", "--dir", DevCli.SAMPLES.toString()},
                        new String[] {"import", "users", "--csv", DevCli.SAMPLES.resolve("users.csv").toString(), "--clear-users", "--yes"})) {
                    DevCli.Result r = cli.dev(args);
                    assertEquals(5, r.exit(), mark + " " + r);
                    assertTrue(r.err().contains(mark == null ? "is not marked as any environment" : "is marked 'staging'"), r.toString());
                    assertTrue(r.err().contains("only changes a database marked development")
                            && r.err().contains("db migrate --env development"), "the refusal says how to mark one: " + r);
                    assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
                }
                assertEquals(before, db.state(), "nothing was written, not even a run record");
                assertEquals(snapshotsBefore, cli.snapshotIds(), "no snapshot was taken");
            }

            DevCli.Result marked = cli.prod("db", "migrate", "--env", "development");
            assertEquals(0, marked.exit(), marked.toString());
            DevCli.Result reset = cli.dev("reset", "--yes");
            assertEquals(0, reset.exit(), reset.toString());
            assertEquals(0, db.count("app_user"));
        }
    }

    /** The embedded default is the demo database: created by its first use, it is marked development then. */
    @Test
    void aNewEmbeddedDatabaseIsMarkedDevelopmentAsItIsCreated() {
        try (TestDatabase db = TestDatabase.createEmpty(TestDatabase.H2); DevCli cli = DevCli.unmarked(db, dir)) {
            DevCli.Result imported = cli.prod("import", "all", "--dir", DevCli.SAMPLES.toString());
            assertEquals(0, imported.exit(), imported.toString());
            assertEquals(Optional.of(Environment.Kind.development), Environment.read(db.database()));
            DevCli.Result reset = cli.dev("reset", "--yes");
            assertEquals(0, reset.exit(), reset.toString());
            assertEquals(0, db.count("app_user"));
        }
        try (TestDatabase db = TestDatabase.createEmpty(TestDatabase.H2); DevCli cli = DevCli.unmarked(db, dir)) {
            DevCli.Result reset = cli.dev("reset", "--yes");
            assertEquals(0, reset.exit(), "a dev command may create the embedded database too: " + reset);
            assertEquals(Optional.of(Environment.Kind.development), Environment.read(db.database()));
        }
        try (TestDatabase db = TestDatabase.createEmpty(TestDatabase.H2); DevCli cli = DevCli.unmarked(db, dir)) {
            DevCli.Result staging = cli.prod("db", "migrate", "--env", "staging");
            assertEquals(0, staging.exit(), staging.toString());
            assertEquals(Optional.of(Environment.Kind.staging), Environment.read(db.database()), "--env wins");
            assertEquals(5, cli.dev("reset", "--yes").exit());
        }
    }

    @Test
    void aRemoteHostIsRefusedBeforeAnyConnectionUnlessAllowRemote() {
        for (String[] args : List.of(new String[] {"reset", "--yes"}, new String[] {"reset"},
                new String[] {"seed", "--dir", DevCli.SAMPLES.toString()},
                new String[] {"import", "users", "--csv", "users.csv", "--clear-users", "--yes"})) {
            String[] all = new String[args.length + 2];
            all[0] = "--db";
            all[1] = REMOTE;
            System.arraycopy(args, 0, all, 2, args.length);
            DevCli.Result r = DevCli.raw(SafeImportDev.commandLine(), all);
            // a connection attempt would end in exit 6: nothing listens at db.example.invalid
            assertEquals(5, r.exit(), r.toString());
            assertTrue(r.err().contains("db.example.invalid") && r.err().contains("--allow-remote"), r.toString());
        }
        DevCli.Result allowed = DevCli.raw(SafeImportDev.commandLine(), "--db", REMOTE, "reset", "--yes", "--allow-remote");
        assertEquals(6, allowed.exit(), "with --allow-remote it gets as far as connecting: " + allowed);
    }

    @EveryDatabase
    void withoutATerminalTheDestructiveCommandsNeedYes(TestDatabase db) {
        try (DevCli cli = new DevCli(db, dir)) {
            seed(cli);
            Map<String, String> before = db.state();
            List<String> snapshotsBefore = cli.snapshotIds();
            for (String[] args : List.of(new String[] {"reset"},
                    new String[] {"import", "users", "--csv", DevCli.SAMPLES.resolve("users.csv").toString(), "--clear-users"})) {
                DevCli.Result r = cli.dev(args);
                assertEquals(2, r.exit(), r.toString());
                assertTrue(r.err().contains("pass --yes"), r.toString());
            }
            assertEquals(before, db.state());
            assertEquals(snapshotsBefore, cli.snapshotIds());
        }
    }

    @EveryDatabase
    void clearUsersImportReplacesEveryUserAndItsSnapshotsRollBackToTheStateBefore(TestDatabase db) {
        try (DevCli cli = new DevCli(db, dir)) {
            seed(cli);
            Map<String, String> seeded = cli.referenceContent();
            long maxUserBefore = count(db, "SELECT MAX(id) AS n FROM app_user");

            DevCli.Result r = cli.dev("import", "users", "--csv", DevCli.SAMPLES.resolve("users.csv").toString(), "--clear-users", "--yes");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(45, db.count("app_user"));
            assertEquals(0, db.count("timeline_event"), "events went with their users");
            assertEquals(0, db.count("compensation_snapshot"));
            assertEquals(0, db.count("seniority_snapshot"));
            assertEquals(0, count(db, "SELECT COUNT(*) AS n FROM team WHERE leader_id IS NOT NULL"), "leaders were set empty");
            assertEquals(7, db.count("team"), "the org structure stays");
            assertTrue(count(db, "SELECT MIN(id) AS n FROM app_user") > maxUserBefore, "every user was inserted anew");
            assertNotEquals(seeded, cli.referenceContent());

            String leaders = cli.runSnapshots("clearleaders").get(0);
            String users = cli.runSnapshots("clearusers").get(0);
            String imported = cli.runSnapshots("users").get(0);
            assertTrue(r.out().contains("3 snapshots"), "the output says it took more than one run: " + r);
            assertTrue(r.out().indexOf(imported) < r.out().lastIndexOf("rollback " + users)
                    && r.out().lastIndexOf("rollback " + users) < r.out().lastIndexOf("rollback " + leaders),
                    "the output lists the rollbacks newest first: " + r);

            for (String id : List.of(imported, users, leaders)) {
                DevCli.Result rb = cli.prod("rollback", id, "--yes");
                assertEquals(0, rb.exit(), rb.toString());
            }
            assertEquals(seeded, cli.referenceContent(), "users, events, snapshots and leaders are back exactly");
            DevCli.Result validate = cli.prod("validate");
            assertEquals(0, validate.exit(), validate.toString());
        }
    }

    @EveryDatabase
    void clearUsersWithAFileTheImportWouldRejectClearsNothing(TestDatabase db) {
        try (DevCli cli = new DevCli(db, dir)) {
            seed(cli);
            Map<String, String> before = db.state();
            List<String> snapshotsBefore = cli.snapshotIds();
            Path bad = cli.write("bad.csv", "email,first_name,last_name,team\nnot-an-email,Ann,Lee,Checkout\n");
            DevCli.Result r = cli.dev("import", "users", "--csv", bad.toString(), "--clear-users", "--yes");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("no user was cleared"), r.toString());
            assertEquals(before, db.state());
            assertEquals(snapshotsBefore, cli.snapshotIds());
        }
    }

    @Test
    void devImportWithoutClearUsersPointsAtTheProductionCommand() {
        DevCli.Result r = DevCli.raw(SafeImportDev.commandLine(), "import", "users", "--csv", "users.csv");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--clear-users") && r.err().contains("./safeimport import users"), r.toString());
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        DevCli.Result r = DevCli.raw(SafeImportDev.commandLine(), "--help");
        assertEquals(0, r.exit(), r.toString());
        for (String s : List.of("reset", "seed", "import", "Exit codes:", "refused for safety", "70")) {
            assertTrue(r.out().contains(s), "--help mentions " + s + ": " + r);
        }
    }
}
