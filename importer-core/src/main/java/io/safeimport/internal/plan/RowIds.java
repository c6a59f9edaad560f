package io.safeimport.internal.plan;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.TableSpec;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Row ids of tables whose primary key is their natural key ({@link TableSpec#keyed()}: a job code,
 * an employee and a start date). The pipeline knows every row by a {@code long} id: in its row maps,
 * plans, snapshots and maps of resolved references. A keyed table has no such column, so its id is
 * a fingerprint of the row's exact key values (63 bits of their SHA-256): the same row gets the same
 * id in every process, so a snapshot's ids stay right for its rollback.
 *
 * <p>SQL never sees these ids. Whoever needs a keyed row in SQL asks {@link #where} for a condition
 * on its key columns, and a reference to a keyed row stores the row's key value ({@link #refValue}).
 * Both need the key back from the id: every id handed out here is remembered with its key, per
 * table, for the life of the process (about 100 bytes a row; keyed tables are the operator's own
 * code tables and histories, far from the millions of a users table). Ids come only from keys seen
 * in this process: read from the database, decoded from a plan or snapshot, or inserted.
 */
public final class RowIds {
    private static final Map<String, Map<Long, List<Object>>> KEYS = new ConcurrentHashMap<>();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    });

    private RowIds() {
    }

    /** The id of the row of keyed table {@code spec} whose canonical key values (in key order) are {@code key}; remembered. */
    public static long of(TableSpec spec, List<Object> key) {
        long id = fingerprint(key);
        List<Object> known = KEYS.computeIfAbsent(spec.name(), t -> new ConcurrentHashMap<>()).putIfAbsent(id, List.copyOf(key));
        if (known != null && !fingerprintText(known).equals(fingerprintText(key))) {
            throw new IllegalStateException("two keys of " + spec.name() + " share the fingerprint " + id + ": " + known + " and " + key);
        }
        return id;
    }

    /** The id of a row of keyed table {@code spec} given as a map with (at least) its key columns. */
    public static long ofRow(TableSpec spec, Map<String, Object> row) {
        List<Object> key = new ArrayList<>(spec.key().size());
        for (String k : spec.key()) {
            key.add(spec.requireColumn(k).type().canonical(row.get(k)));
        }
        return of(spec, key);
    }

    /** The key values of the row of keyed table {@code table} with this id, in key order. */
    public static List<Object> key(String table, long id) {
        Map<Long, List<Object>> keys = KEYS.get(table);
        List<Object> key = keys == null ? null : keys.get(id);
        if (key == null) {
            throw new IllegalStateException("row " + id + " of " + table + " was never read, decoded or inserted in this process");
        }
        return key;
    }

    /**
     * Forgets every key: what a new process starts with. Tests call it between commands run in one
     * JVM, to show that a plan or snapshot carries every key its apply or rollback needs.
     */
    public static void forgetAll() {
        KEYS.clear();
    }

    /** How a row is named in messages: {@code #id}, or the key values of a row of a keyed table ({@code IT_PROG}, {@code 107/2020-01-01}). */
    public static String name(TableSpec spec, long id) {
        return spec.keyed() ? String.join("/", key(spec.name(), id).stream().map(String::valueOf).toList()) : "#" + id;
    }

    /**
     * What reference column {@code c} stores to point at the row with this id: the id itself for a
     * reference to a surrogate key, the referenced row's key value for a reference to a keyed table.
     */
    public static Object refValue(ColumnSpec c, long id) {
        return pointsAtKeyed(c) ? key(c.references(), id).get(0) : id;
    }

    /** Whether reference column {@code c}, storing {@code stored}, points at the row with this id. */
    public static boolean refers(ColumnSpec c, Object stored, long id) {
        return pointsAtKeyed(c) ? c.type().same(stored, refValue(c, id)) : Long.valueOf(id).equals(stored);
    }

    /** Whether reference column {@code c} holds a keyed table's key value rather than a surrogate id. */
    public static boolean pointsAtKeyed(ColumnSpec c) {
        return c.isReference() && c.type() != ColumnType.ID;
    }

    /**
     * A condition selecting the rows of {@code spec} with these ids, and its bindings: {@code id IN
     * (<name>)} over the surrogate key, or {@code (k1 = :name0_0 AND k2 = :name0_1) OR ...} over a
     * keyed table's key columns.
     */
    public static Condition where(TableSpec spec, Collection<Long> ids, String name) {
        if (!spec.keyed()) {
            return new Condition(spec.id() + " IN (<" + name + ">)", Map.of(), name, List.copyOf(ids));
        }
        StringBuilder sql = new StringBuilder();
        Map<String, Object> values = new LinkedHashMap<>();
        int i = 0;
        for (long id : ids) {
            List<Object> key = key(spec.name(), id);
            sql.append(i == 0 ? "(" : " OR (");
            for (int k = 0; k < spec.key().size(); k++) {
                String param = name + i + "_" + k;
                sql.append(k == 0 ? "" : " AND ").append(spec.key().get(k)).append(" = :").append(param);
                values.put(param, key.get(k));
            }
            sql.append(')');
            i++;
        }
        return new Condition(i == 0 ? "1 = 0" : sql.toString(), values, null, null);
    }

    /** A condition selecting the one row of {@code spec} with id {@code :name} bound by {@link #bind}. */
    public static String whereOne(TableSpec spec, String name) {
        if (!spec.keyed()) {
            return spec.id() + " = :" + name;
        }
        StringBuilder sql = new StringBuilder();
        for (int k = 0; k < spec.key().size(); k++) {
            sql.append(k == 0 ? "" : " AND ").append(spec.key().get(k)).append(" = :").append(name).append('_').append(k);
        }
        return sql.toString();
    }

    /** Binds the row id of {@link #whereOne}. */
    public static <T extends SqlStatement<T>> T bind(T statement, TableSpec spec, String name, long id) {
        if (!spec.keyed()) {
            return statement.bind(name, id);
        }
        List<Object> key = key(spec.name(), id);
        for (int k = 0; k < key.size(); k++) {
            statement.bind(name + "_" + k, key.get(k));
        }
        return statement;
    }

    /** A condition of {@link #where} and what it binds. */
    public record Condition(String sql, Map<String, Object> values, String listName, List<Long> list) {
        public <T extends SqlStatement<T>> T bind(T statement) {
            statement.bindMap(values);
            return list == null ? statement : statement.bindList(listName, list);
        }
    }

    private static long fingerprint(List<Object> key) {
        byte[] digest = SHA256.get().digest(fingerprintText(key).getBytes(StandardCharsets.UTF_8));
        long id = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
        return id == 0 ? 1 : id;
    }

    /** The exact key as text: each part with its kind, numbers by value, so {@code 7} read as int or long is one key. */
    private static String fingerprintText(List<Object> key) {
        StringBuilder sb = new StringBuilder();
        for (Object part : key) {
            if (part instanceof BigDecimal d) {
                sb.append("d:").append(d.stripTrailingZeros().toPlainString());
            } else if (part instanceof Number n) {
                sb.append("n:").append(n.longValue());
            } else if (part instanceof String s) {
                sb.append("s:").append(s.length()).append(':').append(s);
            } else {
                sb.append(part == null ? "null" : part.getClass().getSimpleName() + ":" + part);
            }
            sb.append('\u0000');
        }
        return sb.toString();
    }
}
