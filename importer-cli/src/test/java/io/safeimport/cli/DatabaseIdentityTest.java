package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.internal.run.DatabaseIdentity;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Snapshots know the database they were taken on: listed with it, and never restored into another. */
class DatabaseIdentityTest {
    @TempDir
    Path dir;

    private static String imported(Cli cli, String name, String row) {
        Path csv = cli.csv(name, UsersImportTest.HEADER, row);
        Cli.Result r = cli.run("import", "users", "--csv", csv.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        return r.json().get("snapshot_id").asText();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("snapshots").forEach(m -> ids.add(m.get("snapshot_id").asText()));
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.safeimport.testing.TestDatabase#kinds")
    void aSnapshotOfAnotherDatabaseIsRefusedNamingBoth(String kind) {
        try (TestDatabase a = TestDatabase.create(kind); TestDatabase b = TestDatabase.create(kind)) {
            Cli onA = new Cli(a, dir);
            Cli onB = new Cli(b, dir); // the same snapshot folder
            String snapshot = imported(onA, "a.csv", "ann@acme.example,Ann,Lee,,,,,,,,");
            String idA = DatabaseIdentity.of(a.database()).orElseThrow();
            String idB = DatabaseIdentity.of(b.database()).orElseThrow();
            assertNotEquals(idA, idB);
            imported(onB, "b.csv", "ann@acme.example,Ann,Lee,,,,,,,,");
            Map<String, String> stateB = b.state();

            for (String mode : List.of("--yes", "--dry-run")) {
                Cli.Result refused = onB.run("rollback", snapshot, mode, "--output", "json");
                assertEquals(5, refused.exit(), refused.toString());
                String message = refused.json().get("message").asText();
                assertTrue(message.contains(idA) && message.contains(idB), "names both databases: " + refused);
                assertTrue(message.contains(a.settings().redactedUrl()) && message.contains(b.settings().redactedUrl()), refused.toString());
                assertEquals(stateB, b.state(), "nothing written");
            }
            assertEquals(0, onA.run("rollback", snapshot, "--yes").exit(), "on its own database it rolls back");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.safeimport.testing.TestDatabase#kinds")
    void snapshotsListShowsTheCurrentDatabasesUnlessAll(String kind) throws IOException {
        try (TestDatabase a = TestDatabase.create(kind); TestDatabase b = TestDatabase.create(kind)) {
            Cli onA = new Cli(a, dir);
            Cli onB = new Cli(b, dir);
            String fromA = imported(onA, "a.csv", "ann@acme.example,Ann,Lee,,,,,,,,");
            String fromB = imported(onB, "b.csv", "bob@acme.example,Bob,Ray,,,,,,,,");
            // a snapshot written by an older release has no database_id: unknown, listed only with --all
            String old = imported(onB, "c.csv", "cy@acme.example,Cy,Ng,,,,,,,,");
            Path manifest = dir.resolve("snapshots").resolve(old).resolve("manifest.json");
            ObjectNode m = (ObjectNode) Json.MAPPER.readTree(manifest.toFile());
            m.remove(DatabaseIdentity.FIELD);
            Json.MAPPER.writeValue(manifest.toFile(), m);

            Cli.Result listA = onA.run("snapshots", "list", "--output", "json");
            assertEquals(0, listA.exit(), listA.toString());
            assertEquals(List.of(fromA), ids(listA.json()), listA.toString());
            assertEquals(2, listA.json().get("other_databases").asInt());
            assertEquals(DatabaseIdentity.of(a.database()).orElseThrow(), listA.json().get("snapshots").get(0).get("database_id").asText());
            assertEquals(a.settings().redactedUrl(), listA.json().get("snapshots").get(0).get("database").asText());

            Cli.Result listB = onB.run("snapshots", "list", "--output", "json");
            assertEquals(List.of(fromB), ids(listB.json()), listB.toString());

            Cli.Result all = onA.run("snapshots", "list", "--all", "--output", "json");
            assertEquals(List.of(fromA, fromB, old).stream().sorted().toList(), ids(all.json()), all.toString());

            Cli.Result text = onA.run("snapshots", "list");
            assertTrue(text.out().contains(fromA) && text.out().contains(a.settings().redactedUrl()), "shows the database: " + text);
            assertFalse(text.out().contains(fromB), text.toString());
            assertTrue(text.err().contains("2 snapshot(s) of other or unknown databases") && text.err().contains("--all"), text.toString());
            Cli.Result allText = onA.run("snapshots", "list", "--all");
            assertTrue(allText.out().contains(fromB) && allText.out().contains(b.settings().redactedUrl()) && allText.out().contains(old),
                    allText.toString());
        }
    }

    @Test
    void aNewEmbeddedDatabaseSaysWhereItWasCreated() throws IOException {
        Path elsewhere = dir.resolve("elsewhere");
        String url = "jdbc:h2:file:" + elsewhere.resolve("data").resolve("safeimport");
        Path file = elsewhere.resolve("data").resolve("safeimport.mv.db").toAbsolutePath();
        Cli.Result first = Cli.raw("--db", url, "--snapshot-dir", dir.resolve("snapshots").toString(), "snapshots", "list");
        assertEquals(0, first.exit(), first.toString());
        assertTrue(Files.exists(file));
        assertTrue(first.err().contains("created a new, empty embedded database at " + file), first.toString());
        assertFalse(first.out().contains("created"), "on stderr only: " + first);

        Cli.Result again = Cli.raw("--db", url, "--snapshot-dir", dir.resolve("snapshots").toString(), "snapshots", "list");
        assertEquals(0, again.exit(), again.toString());
        assertFalse(again.err().contains("created"), "said once, when created: " + again);
    }

    @EveryDatabase
    void anExistingDatabaseIsNotAnnouncedAsNew(TestDatabase db) {
        Cli.Result r = new Cli(db, dir).run("runs", "list");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.err().contains("created a new"), r.toString());
    }
}
