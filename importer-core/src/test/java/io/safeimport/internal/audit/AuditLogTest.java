package io.safeimport.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    void existingLogIsTightenedAndAppendedTo() throws IOException {
        Path file = dir.resolve("shared.log");
        Files.writeString(file, "earlier line\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (AuditLog log = AuditLog.open(file, Clock.systemUTC())) {
            log.event("start", "again");
        }
        assertEquals("rw-------", mode(file));
        assertTrue(Files.readString(file).startsWith("earlier line\n"), "appended, not replaced");
    }

    @Test
    void existingFolderKeepsItsMode() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (AuditLog log = AuditLog.open(shared.resolve("run.log"), Clock.systemUTC())) {
            log.event("start", null);
        }
        assertEquals("rwxr-xr-x", mode(shared), "--log-file may name a shared folder such as /tmp: left alone");
        assertEquals("rw-------", mode(shared.resolve("run.log")));
    }
}
