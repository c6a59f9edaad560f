package io.safeimport.internal.io;

import com.sun.security.auth.module.UnixSystem;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold personal data (snapshots, plans, rejects, audit logs) are created owner-only from
 * the start: folders 0700, files 0600. Creating with the permission (rather than chmod afterwards)
 * leaves no moment where another user could open them.
 *
 * <p>Only what safeimport creates gets safeimport's modes: an existing folder or file is never
 * chmod-ed (as root, {@code --snapshot-dir /tmp} once made the system temp folder unusable). An
 * existing folder is used for snapshots or logs only when it is this user's and nobody else can
 * write to it, and no path is followed through a symbolic link owned by another user (root's own
 * links, such as {@code /var/run}, are trusted: root controls the system anyway). Refusals are
 * {@link SafeImportException}s whose message says what is wrong and what to do.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final long ROOT = 0;

    private PrivateFiles() {
    }

    /**
     * The folder for snapshots or logs: created owner-only (with missing parents) when it does not
     * exist, otherwise used as it is, unchanged, if it is safe to keep personal data in.
     *
     * @param what the folder's role and the option that names it, for the refusal
     *             ({@code "snapshot folder (--snapshot-dir)"})
     * @throws SafeImportException {@code USAGE} (2) when the path passes through another user's
     *                             symbolic link, or the folder is not a folder, is another user's,
     *                             or can be written by its group or by everyone
     */
    public static Path ownFolder(Path dir, String what) throws IOException {
        requireNoForeignLinks(dir, what, ExitCode.USAGE);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                return createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw e; // a parent is a file
                }
                // another run created it at the same moment: judged below like any existing folder
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new SafeImportException(ExitCode.USAGE, "the " + what + " " + quoted(dir)
                    + " exists and is not a folder: name a folder of your own");
        }
        if (POSIX) {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
            long owner = uid(dir, true);
            if (owner != myUid()) {
                throw new SafeImportException(ExitCode.USAGE, "the " + what + " " + quoted(dir) + " belongs to "
                        + a.owner().getName() + ", not to you: snapshots and logs hold personal data, so name a folder of your own"
                        + " (safeimport creates a missing one owner-only)");
            }
            Set<PosixFilePermission> p = a.permissions();
            if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new SafeImportException(ExitCode.USAGE, "the " + what + " " + quoted(dir) + " can be written by "
                        + (p.contains(PosixFilePermission.OTHERS_WRITE) ? "every user" : "its group") + " (mode "
                        + PosixFilePermissions.toString(p) + "): others could replace or read what safeimport keeps there;"
                        + " name a folder only you can write to (safeimport creates a missing one owner-only), or run chmod go-w on it");
            }
        }
        return dir;
    }

    /**
     * Refuses a path that passes through a symbolic link owned by someone other than this user or
     * root: whoever owns the link decides where it leads.
     *
     * @param code the exit code of the refusal: {@code USAGE} for a folder to write to,
     *             {@code REFUSED} for a snapshot to trust
     */
    public static void requireNoForeignLinks(Path path, String what, ExitCode code) {
        if (!POSIX) {
            return;
        }
        Path abs = path.toAbsolutePath();
        Path prefix = abs.getRoot();
        for (Path part : abs) {
            prefix = prefix.resolve(part);
            if (!Files.isSymbolicLink(prefix)) {
                continue;
            }
            long owner;
            try {
                owner = uid(prefix, false);
            } catch (IOException e) {
                continue; // gone: nothing is followed through it
            }
            if (owner != myUid() && owner != ROOT) {
                throw new SafeImportException(code, "the " + what + " " + quoted(path) + " is reached through the symbolic link "
                        + quoted(prefix) + ", which belongs to another user (uid " + owner + "): it is not followed;"
                        + " name the real folder, or one of your own");
            }
        }
    }

    /**
     * Opens a log file for appending: created owner-only if new; an existing one only if it is a
     * regular file of this user, never through a link (the file stays as its owner made it).
     */
    public static OutputStream append(Path file, String what) throws IOException {
        requireNoForeignLinks(file, what, ExitCode.USAGE);
        if (POSIX) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } catch (FileAlreadyExistsException e) {
                if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new SafeImportException(ExitCode.USAGE, "the " + what + " " + quoted(file)
                            + " exists and is not a regular file: name a new file or a log file of your own");
                }
                if (uid(file, false) != myUid()) {
                    throw new SafeImportException(ExitCode.USAGE, "the " + what + " " + quoted(file)
                            + " belongs to another user: name a new file or a log file of your own");
                }
            }
            return Files.newOutputStream(file, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Creates a new folder owner-only (and missing parents); fails if it exists. For folders
     * safeimport makes for itself (a snapshot, a run's scratch folder).
     */
    public static Path createDirectory(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        if (POSIX) {
            return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
        }
        return Files.createDirectory(dir);
    }

    /** A new owner-only folder under the system temp folder, for one run's scratch files. */
    public static Path createTempDirectory(String prefix) throws IOException {
        if (POSIX) {
            return Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(DIR));
        }
        return Files.createTempDirectory(prefix);
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

    /** A path as messages show it: quoted, control characters escaped, so no file name can forge an output line. */
    private static String quoted(Path p) {
        return "'" + Printable.escape(p.toString()) + "'";
    }

    private static long uid(Path p, boolean follow) throws IOException {
        Object uid = follow ? Files.getAttribute(p, "unix:uid") : Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (uid instanceof Number n) {
            return n.longValue();
        }
        throw new NoSuchFileException(p.toString(), null, "no owner");
    }

    /** Whether {@code p} itself (not what a link points at) belongs to this user; on a system without owners, yes. */
    static boolean isMine(Path p) throws IOException {
        return !POSIX || uid(p, false) == myUid();
    }

    private static long myUid() {
        return UID;
    }

    private static final long UID = POSIX ? new UnixSystem().getUid() : -1;
}
