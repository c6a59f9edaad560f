package io.safeimport.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot folder that cannot be written, whatever the reason, is refused naming the folder. */
class SnapshotStoreTest {
    static final String ID = "20261122T034000Z-users-1a2b3c";

    @TempDir
    Path dir;

    @Test
    void aFullDiskIsRefusedLikeAnUnwritableFolderNamingIt() {
        SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
        SafeImportException full = store.cannotWrite(new IOException("No space left on device"));
        assertEquals(ExitCode.REFUSED, full.exitCode());
        assertTrue(full.getMessage().contains("cannot write the snapshot under " + dir.resolve("snapshots")), full.getMessage());
        assertTrue(full.getMessage().contains("No space left on device") && full.getMessage().contains("Free disk space")
                && full.getMessage().contains("--snapshot-dir"), full.getMessage());
    }

    @Test
    void aFolderThatCannotBeCreatedIsRefusedNamingIt() throws IOException {
        // a folder under a regular file cannot be created, even by root (for whom chmod stops nothing)
        Path root = Files.writeString(dir.resolve("not-a-folder"), "x").resolve("snapshots");
        SafeImportException e = assertThrows(SafeImportException.class, () -> new SnapshotStore(root).create(ID));
        assertEquals(ExitCode.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("cannot write the snapshot under " + root), e.getMessage());
    }
}
