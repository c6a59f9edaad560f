package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot taken by an earlier release (committed under {@code previous-release-snapshot/}, see
 * its README) still rolls back exactly: the plan and snapshot code may change, the formats they
 * read may not.
 */
class PreviousReleaseSnapshotTest {
    private static final String FIXTURE = "previous-release-snapshot/20261203T152234Z-all-92bf0c/";
    private static final List<String> FILES = List.of("manifest.json", "pre.jsonl.gz", "changes.jsonl.gz");

    @TempDir
    Path dir;

    /**
     * On the embedded database the fixture was taken on: the same import into a new database gives
     * the same ids there (MariaDB's bulk loads leave gaps in AUTO_INCREMENT, so the ids, and with
     * them every post-image, differ: its rollback rightly refuses them as changed since). Reading
     * the files is the same code on every database.
     */
    @Test
    void theEarlierReleasesSnapshotOfTheSampleImportRollsBackToTheStateBeforeIt() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2)) {
            Cli cli = new Cli(db, dir);
            Map<String, String> before = UsersImportTest.referenceState(db);
            Cli.Result imported = cli.run("import", "all", "--dir", ImportAllTest.SAMPLES.toString(), "--output", "json");
            assertEquals(0, imported.exit(), imported.toString());
            String run = imported.json().get("run_id").asText();

            // this database becomes the one the fixture was taken of: the same rows (the same sample import
            // into a new database), its identity, and the run the manifest names with the manifest's hash
            Path snapshot = Files.createDirectories(dir.resolve("snapshots"));
            JsonNode manifest = copyFixture(snapshot);
            String id = manifest.get("snapshot_id").asText();
            db.execute("UPDATE safeimport_database SET database_id = '" + manifest.get("database_id").asText() + "'",
                    "UPDATE safeimport_run SET run_id = '" + manifest.get("run_id").asText() + "', snapshot_id = '" + id
                            + "', manifest_sha256 = '" + sha256(snapshot.resolve(id).resolve("manifest.json")) + "' WHERE run_id = '" + run + "'");

            Cli.Result rolledBack = cli.run("rollback", id, "--yes", "--output", "json");
            assertEquals(0, rolledBack.exit(), rolledBack.toString());
            assertEquals("restored", rolledBack.json().get("status").asText(), rolledBack.toString());
            assertEquals(before, UsersImportTest.referenceState(db), "every reference table exactly as before the import");
        }
    }

    /** Copies the fixture into {@code snapshots} as the snapshot folder it was (owner-only); its manifest. */
    private static JsonNode copyFixture(Path snapshots) throws IOException {
        String id = Path.of(FIXTURE).getFileName().toString();
        Path target = Files.createDirectory(snapshots.resolve(id), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (String f : FILES) {
            try (InputStream in = PreviousReleaseSnapshotTest.class.getClassLoader().getResourceAsStream(FIXTURE + f)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + FIXTURE + f);
                }
                Files.copy(in, target.resolve(f));
            }
            Files.setPosixFilePermissions(target.resolve(f), PosixFilePermissions.fromString("rw-------"));
        }
        return Json.MAPPER.readTree(target.resolve("manifest.json").toFile());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
