package io.safeimport.internal.db;

import io.safeimport.spi.TableSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;

/**
 * PostgreSQL 12+ through pgJDBC. The import lock is a session-level advisory lock
 * ({@code pg_try_advisory_lock}) on a {@code bigint} derived from the lock's name
 * ({@link #lockKey}); advisory locks are scoped to the current database, like the lock name.
 * New rows go in with {@code COPY ... FROM STDIN}, changed rows through a staging table and one
 * {@code UPDATE ... FROM} ({@link PostgresCopy}).
 */
public final class PostgresDialect implements Dialect {
    /** How often {@link #tryLock} asks again while another session holds the lock. */
    private static final long POLL_MILLIS = 200;
    /** Pairs per {@link #setReferences} statement. */
    private static final int REFERENCES_PER_STATEMENT = 10_000;

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean matches(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Text compares exactly already (the default collation is deterministic). */
    @Override
    public String exact(String column) {
        return column;
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/postgresql";
    }

    @Override
    public String effectiveUrl(String url) {
        return url;
    }

    /** Defaults only where the URL says nothing: pgJDBC lets these properties win over the URL. */
    @Override
    public Map<String, String> connectionProperties(String url) {
        Set<String> given = MySqlDialect.urlProperties(url);
        Map<String, String> props = new LinkedHashMap<>();
        if (!given.contains("connecttimeout")) {
            props.put("connectTimeout", "10");
        }
        // times and other values bound as text (RunStore binds times as text with their milliseconds)
        // reach the server untyped, and it reads them as the column's type, as MySQL and H2 do
        if (!given.contains("stringtype")) {
            props.put("stringtype", "unspecified");
        }
        // one multi-row INSERT per batch instead of one statement per row
        if (!given.contains("rewritebatchedinserts")) {
            props.put("reWriteBatchedInserts", "true");
        }
        return props;
    }

    /**
     * PostgreSQL's SQLSTATEs for a session ended by the server (57P01 {@code pg_terminate_backend} or a
     * shutdown, 57P02 a crash elsewhere, 57P03 not accepting connections yet) and for an unknown database (3D000).
     */
    @Override
    public Failure failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.matches("57P0[123]")) {
            return Failure.CONNECTION_LOST;
        }
        return "3D000".equals(state) ? Failure.NO_SUCH_DATABASE : null;
    }

    @Override
    public BulkWriter bulkWriter(Handle handle) {
        return PostgresCopy.open(handle, this);
    }

    /**
     * pgJDBC streams a result set only inside a transaction (autocommit off) with a positive fetch
     * size; with autocommit on it reads the result whole, which is correct but holds it in memory.
     */
    @Override
    public int streamingFetchSize() {
        return 1000;
    }

    /** The advisory-lock key of {@code name}: the first eight bytes of its SHA-256, as a signed {@code bigint}. */
    public static long lockKey(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (d[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PostgreSQL's words for a text longer than its column: the type is named, the column is not. */
    private static final Pattern TOO_LONG =
            Pattern.compile("value too long for type character(?: varying)?\\((\\d+)\\)");

    /** The written columns given a text longer than the length PostgreSQL names (which counts characters). */
    @Override
    public List<String> refusedColumns(String detail, Map<String, Integer> longestText) {
        Matcher m = TOO_LONG.matcher(detail);
        if (!m.find()) {
            return List.of();
        }
        int limit = Integer.parseInt(m.group(1));
        return longestText.entrySet().stream().filter(e -> e.getValue() > limit).map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public boolean tryLock(Handle handle, String name, int waitSeconds, LockHolder me) {
        long key = lockKey(name);
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (true) {
            Boolean got = handle.createQuery("SELECT pg_try_advisory_lock(:key)").bind("key", key).mapTo(Boolean.class).one();
            if (Boolean.TRUE.equals(got)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** {@code pg_advisory_unlock} answers false (with a warning) when this session did not hold the lock. */
    @Override
    public boolean unlock(Handle handle, String name) {
        Boolean released = handle.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", lockKey(name)).mapTo(Boolean.class).one();
        return Boolean.TRUE.equals(released);
    }

    /** The {@code pg_locks} rows of the advisory lock on a {@code bigint} key: high half in classid, low half in objid. */
    private static final String LOCK_ROW = " l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND l.classid::bigint = :hi AND l.objid::bigint = :lo";

    /**
     * Asked in the committing session: the lock must be held by the control connection's backend,
     * whose process id the driver knows without a round trip on it.
     */
    @Override
    public boolean holdsLock(Handle control, Handle tx, String name) {
        int mine;
        try {
            mine = control.getConnection().unwrap(PGConnection.class).getBackendPID();
        } catch (SQLException e) {
            return false;
        }
        long key = lockKey(name);
        return tx.createQuery("SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE" + LOCK_ROW + " AND l.pid = :pid)")
                .bind("hi", key >>> 32).bind("lo", key & 0xffffffffL).bind("pid", mine)
                .mapTo(Boolean.class).one();
    }

    @Override
    public String lockHolder(Handle handle, String name) {
        long key = lockKey(name);
        try {
            return handle.createQuery("SELECT a.pid AS pid, host(a.client_addr) AS host, a.usename AS usr, a.state AS state,"
                            + " CAST(EXTRACT(EPOCH FROM (now() - a.state_change)) AS BIGINT) AS secs"
                            + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE" + LOCK_ROW)
                    .bind("hi", key >>> 32).bind("lo", key & 0xffffffffL)
                    .mapToMap()
                    .findFirst()
                    .map(r -> "database backend " + r.get("pid") + " from " + (r.get("host") == null ? "a local socket" : r.get("host"))
                            + " as user " + r.get("usr")
                            + ("idle".equals(r.get("state")) ? ", its last statement " + seconds(r.get("secs")) + " ago"
                                    : ", " + r.get("state") + " for " + seconds(r.get("secs"))))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null; // the message just says less
        }
    }

    private static String seconds(Object secs) {
        return secs instanceof Number n ? LockHolder.duration(Duration.ofSeconds(n.longValue())) : "?";
    }

    /**
     * Every foreign key is enforced on PostgreSQL, unless the session runs as a replica
     * ({@code session_replication_role}), which skips the triggers that check them.
     */
    @Override
    public Set<String> enforcedForeignKeys(Handle handle) {
        if (!"origin".equals(handle.createQuery("SELECT current_setting('session_replication_role')").mapTo(String.class).one())) {
            return Set.of();
        }
        return Set.copyOf(handle.createQuery("SELECT LOWER(k.table_name || '.' || k.column_name)"
                        + " FROM information_schema.table_constraints c JOIN information_schema.key_column_usage k"
                        + " ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name"
                        + " AND k.table_name = c.table_name"
                        + " WHERE c.constraint_type = 'FOREIGN KEY' AND c.table_schema = current_schema()")
                .mapTo(String.class).list());
    }

    /** One {@code UPDATE ... FROM unnest(ids, targets)} per ten thousand rows: one pass instead of one statement per row. */
    @Override
    public void setReferences(Handle handle, TableSpec table, String column, Map<Long, Long> targets) {
        List<Map.Entry<Long, Long>> all = new ArrayList<>(targets.entrySet());
        String sql = "UPDATE " + quote(table.name()) + " t SET " + quote(column) + " = v.target FROM unnest(?::bigint[], ?::bigint[]) AS v(id, target)"
                + " WHERE t." + quote(table.id()) + " = v.id";
        try (PreparedStatement st = handle.getConnection().prepareStatement(sql)) {
            for (int from = 0; from < all.size(); from += REFERENCES_PER_STATEMENT) {
                List<Map.Entry<Long, Long>> part = all.subList(from, Math.min(all.size(), from + REFERENCES_PER_STATEMENT));
                Long[] ids = new Long[part.size()];
                Long[] to = new Long[part.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = part.get(i).getKey();
                    to[i] = part.get(i).getValue();
                }
                st.setArray(1, handle.getConnection().createArrayOf("bigint", ids));
                st.setArray(2, handle.getConnection().createArrayOf("bigint", to));
                st.executeUpdate();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /**
     * Pings the lock's connection every minute, or every third of the session's
     * {@code idle_session_timeout} when that is shorter, so that an idle-closing proxy or the server
     * does not end it during a long run. pgJDBC serialises the ping
     * with the run's own use of the connection.
     */
    @Override
    public KeepAlive keepAlive(Handle control) {
        // idle_session_timeout: PostgreSQL 14+, in milliseconds, 0 for none
        long timeout = control.createQuery("SELECT CAST(setting AS BIGINT) FROM pg_settings WHERE name = 'idle_session_timeout'")
                .mapTo(Long.class).findOne().orElse(0L);
        long every = timeout > 0 ? Math.max(200, Math.min(60_000, timeout / 3)) : 60_000;
        return KeepAlive.pinging(control.getConnection(), every);
    }
}
