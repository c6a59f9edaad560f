package io.safeimport.internal.db;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.SqlDialect;
import io.safeimport.spi.TableSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * What differs between the databases safeimport supports. SQL that is the same everywhere stays
 * with its caller; only these points vary.
 */
public interface Dialect extends SqlDialect {

    /** Whether this dialect speaks to the database of {@code url} (compare Flyway's {@code DatabaseType.handlesJDBCUrl}). */
    boolean matches(String url);

    /** Classpath location of this database's Flyway migrations. */
    String migrationLocation();

    /** The JDBC URL to connect with: the user's URL plus the settings safeimport relies on. */
    String effectiveUrl(String url);

    /**
     * Connection properties (beyond user and password) safeimport relies on, for a connection to
     * {@code url}. They never weaken a security setting the URL gives.
     */
    Map<String, String> connectionProperties(String url);

    /**
     * {@code identifier} quoted for this database, so that any name a table or column may have is
     * read as that name and nothing else: standard SQL's double quotes (a double quote inside
     * doubled); MySQL overrides it with backticks. Quoted names are compared exactly, so a name
     * must be given as the database stores it (lower case for the reference schema).
     */
    default String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code columns}' names, each {@linkplain #quote quoted}, separated by commas: the column list of a statement. */
    default String quotedColumns(List<ColumnSpec> columns) {
        StringBuilder list = new StringBuilder();
        for (ColumnSpec c : columns) {
            list.append(list.length() == 0 ? "" : ", ").append(quote(c.name()));
        }
        return list.toString();
    }

    /** Suffix that locks the selected rows until the end of the transaction. */
    default String forUpdate() {
        return " FOR UPDATE";
    }

    /**
     * Whether rows of a table with a composite natural key are best looked up by the whole key
     * ({@code (a = ? AND b = ?) OR ...}, one index point per key) rather than by the first key
     * column's {@code IN} list, which reads every row sharing it. Measured on MariaDB only.
     */
    default boolean wholeKeyLookups() {
        return false;
    }

    /**
     * Takes the database-wide import lock, session-scoped so that it is released when the process
     * dies, and held until {@link #unlock} or until {@code handle} closes. Returns {@code false}
     * when another session holds it after {@code waitSeconds}. {@code me} describes this run to
     * whoever finds the lock taken, where the lock itself can carry it (H2's lock file; on MySQL
     * the run's {@code running} record does).
     */
    boolean tryLock(Handle handle, String name, int waitSeconds, LockHolder me);

    /**
     * Who holds the lock, as far as the lock itself tells (a MySQL connection, client host and
     * user, and how long it has been in its state; H2's holder process and run), or {@code null}.
     */
    default String lockHolder(Handle handle, String name) {
        return null;
    }

    /**
     * Sets one reference column of many rows, each to its own target id ({@code row id -> target id}),
     * inside the caller's transaction. Used for references to rows inserted later in the same run.
     */
    default void setReferences(Handle handle, TableSpec table, String column, Map<Long, Long> targets) {
        PreparedBatch batch = handle.prepareBatch("UPDATE " + quote(table.name()) + " SET " + quote(column) + " = :v WHERE "
                + quote(table.id()) + " = :id");
        targets.forEach((id, target) -> batch.bind("v", target).bind("id", id).add());
        batch.execute();
    }

    /**
     * The reference columns ({@code table.column}, lower case) on which this session enforces a
     * foreign key right now: a row it writes there cannot point at a missing row. Empty when the
     * database cannot tell, which is always safe (the caller then checks for itself).
     */
    default Set<String> enforcedForeignKeys(Handle handle) {
        return Set.of();
    }

    /**
     * The bulk path for rows on this handle ({@code LOAD DATA LOCAL INFILE}, {@code COPY}), or
     * {@code null} where the database has none or refuses it: then rows go in with INSERT and
     * UPDATE statements.
     */
    default BulkWriter bulkWriter(Handle handle) {
        return null;
    }

    /**
     * Makes what {@code handle} has committed survive the death of this process from now on. A
     * server has it already; the embedded H2 writes commits to its file in the background (within
     * half a second), so a run recorded as {@code running} and killed at once would vanish.
     */
    default void syncCommitted(Handle handle) {
    }

    /**
     * The columns a value the database refused ({@code detail}, its message for a data exception) can have
     * been meant for, when the message does not name the column itself: among the columns written, given as
     * {@code column -> the longest text written to it in characters (code points)}. Empty when the message
     * names the column, as MySQL's and H2's do, or when the dialect cannot tell.
     */
    default List<String> refusedColumns(String detail, Map<String, Integer> longestText) {
        return List.of();
    }

    /**
     * Releases the lock taken with {@link #tryLock}.
     *
     * @return {@code false} when this session no longer held it (it was lost before: its
     *         connection died, a server or proxy timeout ended it)
     */
    boolean unlock(Handle handle, String name);

    /**
     * Whether the lock taken with {@link #tryLock} on {@code control} is still held by that session,
     * asked through {@code tx}, the session about to commit: a lock whose connection died (KILL, a
     * proxy's idle timeout, {@code wait_timeout}) may meanwhile be another run's.
     */
    boolean holdsLock(Handle control, Handle tx, String name);

    /**
     * Keeps the lock's session from idling out while a run works on other connections (a server's
     * {@code wait_timeout}, a proxy's idle limit); stopped with {@link KeepAlive#close()}. The
     * default does nothing: an embedded lock has no connection to lose.
     */
    default KeepAlive keepAlive(Handle control) {
        return () -> { };
    }

    /** What a driver's exception means where standard SQLSTATEs do not say it (see {@link #failure}). */
    enum Failure {
        /** The session is gone (broken connection, terminated backend, closed database): nothing of its transaction was committed. */
        CONNECTION_LOST,
        /** The server refused the user or password. */
        LOGIN_REFUSED,
        /** The database named in the URL does not exist on the server. */
        NO_SUCH_DATABASE,
        /** The embedded database file is open in another process. */
        FILE_IN_USE
    }

    /**
     * What {@code e} (one exception, not its causes) means in this database's own codes, or
     * {@code null} when they say nothing beyond its SQLSTATE. Vendor error codes and driver
     * classes are read here and nowhere else.
     */
    default Failure failure(SQLException e) {
        return null;
    }

    /**
     * What {@code t} or any of its causes means in the codes of any dialect on the class path, for
     * code that meets a database exception without knowing its dialect; {@code null} when none says.
     */
    static Failure failureOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                for (Dialect d : Registered.ALL) {
                    Failure f = d.failure(s);
                    if (f != null) {
                        return f;
                    }
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /** The dialects on the class path, found once. */
    final class Registered {
        static final List<Dialect> ALL = ServiceLoader.load(Dialect.class, Dialect.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();

        private Registered() {
        }
    }

    /** A running keep-alive. */
    interface KeepAlive extends AutoCloseable {
        @Override
        void close();

        /**
         * Pings {@code connection} every {@code everyMillis} on a daemon thread until closed. The
         * drivers serialise the ping with the run's own use of the connection; a ping that fails is
         * ignored, because a dead connection is found by the lock check before commit.
         */
        static KeepAlive pinging(Connection connection, long everyMillis) {
            ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "safeimport-lock-keepalive");
                t.setDaemon(true);
                return t;
            });
            pinger.scheduleWithFixedDelay(() -> {
                try {
                    connection.isValid(10);
                } catch (SQLException | RuntimeException e) {
                    // a dead connection is found by the check before commit
                }
            }, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
            return pinger::shutdownNow;
        }
    }

    /**
     * The dialect that matches {@code url}, among those on the class path (registered in
     * {@code META-INF/services/io.safeimport.internal.db.Dialect}, found with {@link java.util.ServiceLoader}).
     *
     * @throws IllegalArgumentException when none does
     */
    static Dialect of(String url) {
        for (Dialect d : Registered.ALL) {
            if (d.matches(url)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported database URL (use jdbc:mysql://host:port/db, jdbc:mariadb://host:port/db,"
                + " jdbc:postgresql://host:port/db or jdbc:h2:file:PATH)");
    }
}
