package io.safeimport.internal.audit;

import io.safeimport.internal.db.DbSettings;
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.io.PrivateFiles;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * The audit log of one run: plain text, one event per line, each line flushed as soon as it is
 * written, so that a run killed at any moment leaves a log showing the last step it reached.
 * Lines look like {@code 2026-11-22T03:40:00.123Z step=apply table=app_user inserted=40}.
 * Anything that may contain a JDBC URL is redacted before it is written. The file is owner-only
 * (0600), like a snapshot, because it holds personal data.
 */
public final class AuditLog implements Closeable {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private final Path file;
    private final BufferedWriter out;
    private final Clock clock;
    /** The last time stamp written, per millisecond: a million plan-row lines need not format a million instants. */
    private long stampMillis = Long.MIN_VALUE;
    private String stamp;

    private AuditLog(Path file, BufferedWriter out, Clock clock) {
        this.file = file;
        this.out = out;
        this.clock = clock;
    }

    /**
     * Opens (appending) the log file. The log lists every planned row, names and emails included,
     * so like a snapshot it is owner-only: a new file is created 0600 (with the permission, not
     * chmod afterwards, so no other user can open it in between), an existing one is tightened to
     * 0600, and a missing folder is created 0700. An existing folder is left as it is: {@code
     * --log-file} may name a shared one such as {@code /tmp}.
     */
    public static AuditLog open(Path file, Clock clock) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                try {
                    PrivateFiles.createDirectory(parent);
                } catch (FileAlreadyExistsException e) {
                    // another run created it at the same moment
                }
            }
            createPrivate(file);
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), StandardCharsets.UTF_8));
            return new AuditLog(file, w, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createPrivate(Path file) throws IOException {
        if (!POSIX) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (FileAlreadyExistsException e) {
            try {
                Files.setPosixFilePermissions(file, FILE);
            } catch (IOException | SecurityException notOwner) {
                // someone else's file that we may append to: its owner chose its mode
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Writes one event: a step name and its details ({@code key=value} pairs or free text), flushed at once. */
    public synchronized void event(String step, String details) {
        write(step, details == null ? null : DbSettings.redact(details));
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes one detail line (a planned row) without flushing: there may be millions of them, and
     * the next {@link #event} flushes them all, so the log still ends at the last step reached.
     */
    public synchronized void detail(String step, String details) {
        write(step, details);
    }

    /** Flushes buffered detail lines. */
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(String step, String details) {
        try {
            long now = clock.millis();
            if (now != stampMillis) {
                stampMillis = now;
                stamp = Instant.ofEpochMilli(now).toString();
            }
            out.write(stamp);
            out.write(" step=");
            out.write(step);
            if (details != null && !details.isEmpty()) {
                out.write(' ');
                // CSV values, header names and paths: one event stays one line, and no terminal
                // sequence reaches whoever reads the log with cat or less
                out.write(Printable.escape(details));
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
