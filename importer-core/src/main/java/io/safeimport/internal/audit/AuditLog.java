package io.safeimport.internal.audit;

import io.safeimport.api.SafeImportException;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * The audit log of one run: plain text, one event per line, each line flushed as soon as it is
 * written, so that a run killed at any moment leaves a log showing the last step it reached.
 * Lines look like {@code 2026-11-22T03:40:00.123Z step=apply table=app_user inserted=40}.
 * Anything that may contain a JDBC URL is redacted before it is written. The file is owner-only
 * (0600), like a snapshot, because it holds personal data.
 */
public final class AuditLog implements Closeable {
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
     * Opens (appending) a log file in the log folder ({@code --log-dir}, {@code ./logs}). The log
     * lists every planned row, names and emails included, so like a snapshot it is owner-only: a
     * missing folder is created 0700 and a new file 0600 (with the permission, not chmod afterwards,
     * so no other user can open it in between). An existing folder must be the user's and writable
     * by nobody else, and is never changed.
     *
     * @throws SafeImportException {@code USAGE} (2) naming the folder or file and why it is refused
     * @throws UncheckedIOException when the folder or file cannot be created or written
     */
    public static AuditLog open(Path file, Clock clock) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                PrivateFiles.ownFolder(parent, "log folder (--log-dir)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
        return openFile(file, clock, "audit log");
    }

    /**
     * Opens (appending) a log file named by {@code --log-file}. It may sit in a shared folder such as
     * {@code /tmp}, which is then left as it is; the file itself is created owner-only, or appended
     * to only if it is a regular file of this user, never through another user's symbolic link.
     */
    public static AuditLog openNamed(Path file, Clock clock) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null && !Files.exists(parent)) {
                try {
                    PrivateFiles.createDirectory(parent);
                } catch (FileAlreadyExistsException e) {
                    // another run created it at the same moment
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
        return openFile(file, clock, "log file (--log-file)");
    }

    private static AuditLog openFile(Path file, Clock clock, String what) {
        try {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(PrivateFiles.append(file, what), StandardCharsets.UTF_8));
            return new AuditLog(file, w, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Writes one event: a step name and its details ({@code key=value} pairs or free text), flushed at once;
     * then the step's test gate ({@link StepGate}).
     */
    public void event(String step, String details) {
        synchronized (this) {
            write(step, details == null ? null : DbSettings.redact(details));
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the audit log " + file + ": " + e.getMessage(), e);
            }
        }
        // outside the lock: a test holding the run here must not block other threads' log lines
        StepGate.pass(step);
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
