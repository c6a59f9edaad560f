package io.safeimport.internal.db;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.h2.api.ErrorCode;
import org.h2.jdbc.JdbcException;
import org.jdbi.v3.core.Handle;

/**
 * The embedded default: H2 in MySQL mode. H2 lets one process at a time open the database file;
 * the import lock is a lock file next to it ({@link EmbeddedLock}) that names its holder, so a
 * second process learns who it waits for and how long that run has been going.
 */
public final class H2Dialect implements Dialect {
    /** Seconds the database file stays open after the last connection of this process closed. */
    static final int CLOSE_DELAY_SECONDS = 2;

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public boolean matches(String url) {
        return url.startsWith("jdbc:h2:");
    }

    /** H2 compares VARCHAR exactly already. */
    @Override
    public String exact(String column) {
        return column;
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/h2";
    }

    @Override
    public String effectiveUrl(String url) {
        StringBuilder sb = new StringBuilder(url);
        // DB_CLOSE_DELAY: the file stays open a moment after a connection closes, so another process
        // cannot slip in between two connections of one command (between the migration check and
        // the import's own connection, say) and make the second one fail; the JVM closes it on exit
        // TRACE_LEVEL_FILE=0: no <name>.trace.db, which collected stack traces and SQL next to the data
        for (String setting : new String[] {"MODE=MySQL", "DATABASE_TO_LOWER=TRUE", "DEFAULT_NULL_ORDERING=HIGH",
                "DB_CLOSE_DELAY=" + CLOSE_DELAY_SECONDS, "TRACE_LEVEL_FILE=0"}) {
            String name = setting.substring(0, setting.indexOf('='));
            if (!url.toUpperCase(Locale.ROOT).contains(";" + name + "=")) {
                sb.append(';').append(setting);
            }
        }
        return sb.toString();
    }

    @Override
    public Map<String, String> connectionProperties(String url) {
        return Map.of();
    }

    @Override
    public int streamingFetchSize() {
        return 1000;
    }

    /** H2's own error codes, on H2's exceptions only ({@link JdbcException}). */
    @Override
    public Failure failure(SQLException e) {
        if (!(e instanceof JdbcException)) {
            return null;
        }
        return switch (e.getErrorCode()) {
            case ErrorCode.CONNECTION_BROKEN_1, ErrorCode.DATABASE_IS_CLOSED -> Failure.CONNECTION_LOST;
            case ErrorCode.DATABASE_ALREADY_OPEN_1 -> Failure.FILE_IN_USE;
            // "Database ... not found, either pre-create it or allow remote database creation": also said while
            // another process has the file open in a way that hides it
            case ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1 -> String.valueOf(e.getMessage()).contains("in use") ? Failure.FILE_IN_USE : null;
            default -> null;
        };
    }

    @Override
    public boolean tryLock(Handle handle, String name, int waitSeconds, LockHolder me) {
        return EmbeddedLock.acquire(url(handle), handle, me, waitSeconds);
    }

    @Override
    public String lockHolder(Handle handle, String name) {
        return EmbeddedLock.holder(url(handle)).map(h -> h.describe(Instant.now())).orElse(null);
    }

    @Override
    public void syncCommitted(Handle handle) {
        try {
            handle.execute("CHECKPOINT");
        } catch (RuntimeException e) {
            // CHECKPOINT needs admin rights: without them the commit reaches the file a moment later
        }
    }

    @Override
    public boolean unlock(Handle handle, String name) {
        return EmbeddedLock.release(handle);
    }

    /** The lock file's operating-system lock, held by this process for {@code control}'s run. */
    @Override
    public boolean holdsLock(Handle control, Handle tx, String name) {
        return EmbeddedLock.heldBy(url(control), control);
    }

    private static String url(Handle handle) {
        try {
            return handle.getConnection().getMetaData().getURL();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the embedded database's URL", e);
        }
    }
}
