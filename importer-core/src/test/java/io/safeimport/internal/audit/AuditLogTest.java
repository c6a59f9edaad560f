package io.safeimport.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log lists every planned row with names and emails: owner-only, like a snapshot. */
class AuditLogTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "file modes need a POSIX file system");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void newLogIsOwnerOnlyInAnOwnerOnlyFolder() throws IOException {
        Path file = dir.resolve("logs").resolve("nested").resolve("run.log");
        try (AuditLog log = AuditLog.open(file, Clock.systemUTC())) {
            log.event("start", "ann@acme.example Ann Lee");
        }
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(file.getParent()), "the folder it had to create");
        assertTrue(Files.readString(file).contains("step=start ann@acme.example"));
    }

    @Test
    void existingLogOfTheUserIsAppendedToAndKeepsItsMode() throws IOException {
        Path file = dir.resolve("shared.log");
        Files.writeString(file, "earlier line\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        try (AuditLog log = AuditLog.openNamed(file, Clock.systemUTC())) {
            log.event("start", "again");
        }
        assertEquals("rw-r-----", mode(file), "an existing file is the user's own: its mode is theirs");
        assertTrue(Files.readString(file).startsWith("earlier line\n"), "appended, not replaced");
    }

    @Test
    void aLogFileInASharedFolderLeavesTheFolderAlone() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (AuditLog log = AuditLog.openNamed(shared.resolve("run.log"), Clock.systemUTC())) {
            log.event("start", null);
        }
        assertEquals("rwxrwxrwx", mode(shared), "--log-file may name a file in a shared folder such as /tmp: left alone");
        assertEquals("rw-------", mode(shared.resolve("run.log")));
    }

    @Test
    void aFolderNamedAsLogFileIsRefusedAndUnchanged() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("tmp"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        SafeImportException e = assertThrows(SafeImportException.class, () -> AuditLog.openNamed(shared, Clock.systemUTC()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
        assertEquals("rwxrwxrwx", mode(shared), "never chmod-ed");
    }

    @Test
    void aLogFolderOthersCanWriteToIsRefusedAndUnchanged() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        SafeImportException e = assertThrows(SafeImportException.class,
                () -> AuditLog.open(shared.resolve("run.log"), Clock.systemUTC()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("can be written by every user"), e.getMessage());
        assertEquals("rwxrwxrwx", mode(shared));
        assertFalse(Files.exists(shared.resolve("run.log")), "nothing created in it");
    }

    @Test
    void anExistingLogFolderOfTheUserKeepsItsMode() throws IOException {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (AuditLog log = AuditLog.open(logs.resolve("run.log"), Clock.systemUTC())) {
            log.event("start", null);
        }
        assertEquals("rwxr-xr-x", mode(logs));
        assertEquals("rw-------", mode(logs.resolve("run.log")));
    }

    @Test
    void aLogFileThatIsASymbolicLinkIsNotFollowed() throws IOException {
        Path target = Files.writeString(dir.resolve("target.txt"), "someone's file\n");
        Path link = Files.createSymbolicLink(dir.resolve("run.log"), target);
        SafeImportException e = assertThrows(SafeImportException.class, () -> AuditLog.openNamed(link, Clock.systemUTC()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("someone's file\n", Files.readString(target), "not written through the link");
    }
}
