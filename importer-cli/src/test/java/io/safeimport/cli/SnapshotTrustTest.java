package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot proves it belongs to this run of this database: its manifest names the snapshot and
 * the run, and hashes to what the run recorded at commit. A swapped folder or a forged change file
 * whose sums were recomputed is refused (exit 5) and nothing changes; so is a folder reached
 * through another user's symbolic link.
 */
class SnapshotTrustTest {
    @TempDir
    Path dir;

    private record Two(Cli cli, String first, String second) {
    }

    /** Two committed runs: Ann inserted (first), then her title changed (second). */
    private Two twoRuns(TestDatabase db) {
        UsersImportTest.orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path a = cli.csv("a.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,Engineer,Payments,,,,,,");
        Cli.Result first = cli.run("import", "users", "--csv", a.toString(), "--output", "json");
        assertEquals(0, first.exit(), first.toString());
        Path b = cli.csv("b.csv", UsersImportTest.HEADER, "ann@acme.example,Ann,Lee,Staff Engineer,Payments,,,,,,");
        Cli.Result second = cli.run("import", "users", "--csv", b.toString(), "--output", "json");
        assertEquals(0, second.exit(), second.toString());
        return new Two(cli, first.json().get("snapshot_id").asText(), second.json().get("snapshot_id").asText());
    }

    private Path snapshot(String id) {
        return dir.resolve("snapshots").resolve(id);
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(to)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.createDirectory(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void assertRefused(Cli cli, String id, String why, Map<String, String> before, TestDatabase db) {
        Cli.Result verify = cli.run("snapshots", "verify", id, "--output", "json");
        assertEquals(5, verify.exit(), verify.toString());
        assertTrue(verify.json().toString().contains(why), verify.toString());
        Cli.Result r = cli.run("rollback", id, "--yes", "--output", "json");
        assertEquals(5, r.exit(), r.toString());
        assertEquals("refused", r.json().get("status").asText());
        assertTrue(r.json().get("message").asText().contains(why), r.toString());
        assertEquals(before, db.state(), "nothing restored");
    }

    @EveryDatabase
    void aSnapshotFolderSwappedForAnotherValidSnapshotIsRefused(TestDatabase db) throws IOException {
        Two runs = twoRuns(db);
        // folder B now holds snapshot A, every file sound: `rollback B` would undo A and record B as rolled back
        copyFolder(snapshot(runs.first()), snapshot(runs.second()));
        assertRefused(runs.cli(), runs.second(), "belongs to snapshot " + runs.first(), db.state(), db);
    }

    @EveryDatabase
    void aForgedChangeFileWithRecomputedSumsIsRefused(TestDatabase db) throws IOException {
        Two runs = twoRuns(db);
        Path folder = snapshot(runs.second());
        Path changes = folder.resolve("changes.jsonl.gz");
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(changes)),
                StandardCharsets.UTF_8))) {
            r.lines().forEach(l -> lines.add(l.replace("\"Engineer\"", "\"Forged\"")));
        }
        assertTrue(String.join("\n", lines).contains("Forged"), "the pre-image was forged: " + lines);
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(changes)), StandardCharsets.UTF_8)) {
            w.write(String.join("\n", lines) + "\n");
        }
        ObjectNode manifest = (ObjectNode) JsonLines.MAPPER.readTree(folder.resolve("manifest.json").toFile());
        ((ObjectNode) manifest.get("files").get("changes.jsonl.gz")).put("sha256", JsonLines.sha256(changes));
        JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("manifest.json").toFile(), manifest);

        assertRefused(runs.cli(), runs.second(), "is not the one run " + runs.second() + " committed with", db.state(), db);
    }

    @EveryDatabase
    void anUntouchedSnapshotVerifiesAsBoundAndRollsBack(TestDatabase db) {
        Two runs = twoRuns(db);
        Cli.Result verify = runs.cli().run("snapshots", "verify", runs.second(), "--output", "json");
        assertEquals(0, verify.exit(), verify.toString());
        assertTrue(verify.json().get("bound_to_run").asBoolean(), verify.toString());
        Cli.Result r = runs.cli().run("rollback", runs.second(), "--yes", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("[]", r.json().get("warnings").toString(), "bound: no warning");
    }

    @EveryDatabase
    void aSnapshotReachedThroughAnotherUsersSymbolicLinkIsRefused(TestDatabase db) throws IOException {
        Two runs = twoRuns(db);
        UserPrincipal nobody;
        try {
            nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (IOException | UnsupportedOperationException e) {
            nobody = null;
        }
        assumeTrue(nobody != null, "needs a user 'nobody'");
        Path real = dir.resolve("elsewhere");
        Files.move(snapshot(runs.second()), real);
        Path link = Files.createSymbolicLink(snapshot(runs.second()), real);
        try {
            Files.getFileAttributeView(link, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(nobody);
        } catch (IOException e) {
            assumeTrue(false, "giving a link to another user needs root: " + e.getMessage());
        }
        assertNotEquals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS), Files.getOwner(link, LinkOption.NOFOLLOW_LINKS));
        assertRefused(runs.cli(), runs.second(), "belongs to another user", db.state(), db);
    }

    @EveryDatabase
    void aSnapshotOfTheReleaseBeforeBindingStillRollsBackWithAWarning(TestDatabase db) throws IOException {
        Two runs = twoRuns(db);
        // as the previous release left it: schema version 2 in the manifest, no manifest hash in the run table
        Path manifestFile = snapshot(runs.second()).resolve("manifest.json");
        ObjectNode manifest = (ObjectNode) JsonLines.MAPPER.readTree(manifestFile.toFile());
        manifest.put("schema_version", "2");
        JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), manifest);
        db.execute("UPDATE safeimport_run SET manifest_sha256 = NULL");
        Cli.Result r = runs.cli().run("rollback", runs.second(), "--yes", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.json().get("warnings").toString().contains("recorded before runs were bound to their snapshots"), r.toString());
        assertEquals("Engineer", db.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT title FROM app_user WHERE email = 'ann@acme.example'").mapTo(String.class).one()));
    }

    @EveryDatabase
    void aSnapshotOfAnotherSchemaIsRefused(TestDatabase db) throws IOException {
        Two runs = twoRuns(db);
        Path manifestFile = snapshot(runs.second()).resolve("manifest.json");
        ObjectNode manifest = (ObjectNode) JsonLines.MAPPER.readTree(manifestFile.toFile());
        manifest.put("schema_version", "99");
        JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), manifest);
        db.execute("UPDATE safeimport_run SET manifest_sha256 = NULL");
        Map<String, String> before = db.state();
        Cli.Result r = runs.cli().run("rollback", runs.second(), "--yes", "--output", "json");
        assertEquals(5, r.exit(), r.toString());
        assertTrue(r.json().get("message").asText().contains("was taken at schema version 99"), r.toString());
        assertEquals(before, db.state());
    }
}
