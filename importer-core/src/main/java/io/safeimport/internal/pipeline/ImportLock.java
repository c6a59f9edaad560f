package io.safeimport.internal.pipeline;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.Dialect;
import io.safeimport.internal.db.LockHolder;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.run.RunStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The import lock of one database, held by one run at a time (an import, a rollback, the dev
 * module's reset), so that two runs never write the same database at once. It is session-scoped
 * (a MySQL {@code GET_LOCK}, a PostgreSQL advisory lock, the embedded database's lock file): if the
 * process dies the database releases it, so a killed run never leaves a stale lock behind.
 *
 * <p>Taken by {@link #take} or {@link #acquire}, released by {@link #close} (use it with
 * try-with-resources), and asked with {@link #requireHeld} right before every commit made under
 * it: the connection holding it can die while the run works on others, and another run may hold
 * the lock by then. While held, a keep-alive stops that connection from idling out. Not thread-safe:
 * one run uses it from one thread.
 */
public final class ImportLock implements AutoCloseable {
    /** Prefix of the lock's name (session-scoped: released by the server if we die). */
    public static final String PREFIX = "safeimport_import";

    private final Database db;
    private final Handle control;
    private final boolean ownsControl;
    private final String name;
    private final Dialect.KeepAlive keepAlive;
    /** The run recorded as running when the lock was acquired ({@link #acquire}), until its caller's commit takes it over. */
    private String provisional;
    private boolean closed;
    private boolean lost;

    private ImportLock(Database db, Handle control, boolean ownsControl, String name, Dialect.KeepAlive keepAlive) {
        this.db = db;
        this.control = control;
        this.ownsControl = ownsControl;
        this.name = name;
        this.keepAlive = keepAlive;
    }

    /**
     * Takes the lock on {@code control} for a run that records itself (the import records its run
     * as running on {@code control} once it holds the lock). The connection stays the caller's:
     * {@link #close} releases the lock and leaves it open.
     *
     * @throws SafeImportException {@code BUSY} (4) naming the holder when another run holds the lock
     */
    static ImportLock take(Database db, Handle control, int waitSeconds, LockHolder me) {
        String name = name(control);
        if (!db.dialect().tryLock(control, name, waitSeconds, me)) {
            throw busy(db, control, name, waitSeconds);
        }
        return new ImportLock(db, control, false, name, db.dialect().keepAlive(control));
    }

    /**
     * Takes the lock on a connection of its own for a caller that records its run itself only when
     * it commits (a rollback, the dev module's reset), and records the run as running at once,
     * durably, so that if the process is killed the next run reports it interrupted. The caller's
     * committed record takes over that row ({@link RunStore#insert}); if the caller stops without
     * one, {@link #close} removes it and closes the connection. The schema must be current.
     *
     * @param kind  what the caller is ({@code rollback}, {@code reset}), recorded as the run's importer
     * @param runId the caller's run ID, or {@code null} to draw one of {@code kind}
     * @throws SafeImportException {@code BUSY} (4) naming the holder when another run holds the lock
     */
    public static ImportLock acquire(Database db, int waitSeconds, String kind, String runId) {
        Clock clock = Clock.systemUTC();
        String id = runId != null ? runId : RunIds.next(kind, clock);
        Instant started = clock.instant();
        String command = command(db, kind);
        Handle control = db.open();
        ImportLock lock;
        try {
            String name = name(control);
            if (!db.dialect().tryLock(control, name, waitSeconds, LockHolder.me(id, command, started))) {
                throw busy(db, control, name, waitSeconds);
            }
            lock = new ImportLock(db, control, true, name, db.dialect().keepAlive(control));
        } catch (RuntimeException e) {
            closeQuietly(control);
            throw e;
        }
        try {
            Map<String, String> me = RunStore.whoAmI();
            new RunStore(control).recordProvisional(new RunStore.Run(id, kind, "apply", "running", started, null, null, null, null,
                    null, null, me.get("host"), me.get("user"), null, null), ProcessHandle.current().pid(), command);
            lock.provisional = id;
            db.dialect().syncCommitted(control);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    /**
     * The lock's name for the database {@code control} is connected to: MySQL's named locks are
     * server-wide, and runs on two different databases of one server must not block each other.
     */
    public static String name(Handle control) {
        String schema;
        try {
            schema = control.getConnection().getCatalog();
        } catch (SQLException e) {
            schema = null;
        }
        String name = PREFIX + ":" + (schema == null ? "" : schema);
        return name.length() <= 64 ? name : name.substring(0, 64);
    }

    /** The command line a run names itself by (lock messages, run records), or {@code fallback} when unknown. */
    static String command(Database db, String fallback) {
        return db.settings().command() != null ? db.settings().command() : fallback;
    }

    /** This lock's name ({@link #name(Handle)}). */
    public String name() {
        return name;
    }

    /** The connection holding the lock, in autocommit: what is written on it is durable at once. */
    public Handle connection() {
        return control;
    }

    /**
     * Makes sure, in the session about to commit, that the lock is still held by the connection
     * that took it: if that connection died (killed, a proxy's idle timeout, a short
     * {@code wait_timeout}) another run may hold the lock by now, and two overlapping runs must
     * never both commit. {@link Transactions#inWriteTransaction} asks it right before committing.
     *
     * @param tx the connection about to commit
     * @throws SafeImportException {@code BUSY} (4): the caller rolls back, nothing is written
     */
    public void requireHeld(Handle tx) {
        boolean held;
        try {
            held = db.dialect().holdsLock(control, tx, name);
        } catch (RuntimeException e) {
            held = false;
        }
        if (!held) {
            throw new SafeImportException(ExitCode.BUSY, "the import lock " + name + " was lost before commit (the database"
                    + " connection holding it ended: killed, or closed by a server or proxy timeout), so another run may be"
                    + " writing; the transaction was rolled back and nothing was written. See `runs list`, then run it again");
        }
    }

    /**
     * Whether {@link #close} found the lock lost already (its connection had ended): a run may have
     * overlapped the end of this one, which the import reports.
     */
    public boolean lost() {
        return lost;
    }

    /**
     * Releases the lock: stops the keep-alive, removes a provisional run record nobody took over,
     * unlocks, and closes the connection if the lock opened it. Never throws: a connection that is
     * gone has released its lock with it. A second call does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keepAlive.close();
        if (provisional != null) {
            try {
                new RunStore(control).dropProvisional(provisional);
            } catch (RuntimeException e) {
                // the database is gone: the next run marks the record interrupted
            }
        }
        try {
            lost = !db.dialect().unlock(control, name);
        } catch (RuntimeException e) {
            lost = true; // the session is gone, and its lock with it
        }
        if (ownsControl) {
            closeQuietly(control);
        }
    }

    /**
     * The refusal of a run that found the lock taken, naming what holds it: the run (ID, command,
     * process, host, user, since when) and, on MySQL, the connection.
     */
    private static SafeImportException busy(Database db, Handle control, String name, int waitSeconds) {
        String holder = db.dialect().lockHolder(control, name);
        List<String> parts = new ArrayList<>();
        try {
            new RunStore(control).running()
                    .filter(r -> holder == null || !holder.contains(r.runId()))
                    .ifPresent(r -> parts.add(RunStore.holder(r).describe(Instant.now())));
        } catch (RuntimeException e) {
            // no run table yet: say less
        }
        if (holder != null) {
            parts.add(holder);
        }
        return new SafeImportException(ExitCode.BUSY, "another safeimport run holds the import lock on " + db.settings().redactedUrl()
                + " (" + (parts.isEmpty() ? "holder unknown" : String.join("; ", parts)) + ")"
                + (waitSeconds > 0 ? " and did not release it within " + waitSeconds + " s" : "")
                + "; wait for it to finish, or pass --wait SECONDS");
    }

    private static void closeQuietly(Handle h) {
        try {
            h.close();
        } catch (RuntimeException e) {
            // connection already gone
        }
    }
}
