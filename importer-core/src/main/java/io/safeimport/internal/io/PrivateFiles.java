package io.safeimport.internal.io;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.OutputStream;
import java.util.Set;

/**
 * Files that hold personal data (snapshots, plans, rejects) are created owner-only from the start:
 * folders 0700, files 0600. Creating with the permission (rather than chmod afterwards) leaves no
 * moment where another user could open them.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the folder (and missing parents) owner-only; an existing folder is tightened to 0700. */
    public static Path createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            if (POSIX) {
                Files.setPosixFilePermissions(dir, DIR);
            }
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        if (POSIX) {
            return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
        }
        return Files.createDirectory(dir);
    }

    /** Creates a new owner-only file for writing; fails if it exists. */
    public static OutputStream create(Path file) throws IOException {
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
        return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Creates or replaces an owner-only file for writing. */
    public static OutputStream replace(Path file) throws IOException {
        Files.deleteIfExists(file);
        return create(file);
    }
}
