package io.safeimport.internal.plan;

import io.safeimport.internal.db.Dialect;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads reference rows by natural key or id, a chunk at a time. Small tables (org structure,
 * ladders) have their keys cached for the life of the store; large tables (users, events) are
 * looked up per chunk with {@code IN (...)} on the first key column, so memory stays flat.
 * Inside a transaction the store sees the transaction's own writes; callers report inserted rows
 * with {@link #inserted} so the small-table caches stay true.
 */
public final class RowStore {
    /** Upper bound of values in one {@code IN (...)} list. */
    public static final int CHUNK = 1000;

    private final Handle handle;
    private final Dialect dialect;
    private final Catalog catalog;
    private final Map<String, Map<String, Long>> smallKeys = new HashMap<>();
    private final boolean planning;
    /** Per large table, in a planning store: every key ({@link #tuple}) when it had few rows, else {@link #MANY}. */
    private final Map<String, Set<String>> fewKeys = new HashMap<>();
    /** Marks a large table that had more than {@link #FEW} rows when first asked. */
    private static final Set<String> MANY = Collections.unmodifiableSet(new HashSet<>());
    /** Rows a large table may hold for a planning store to read all its keys at once (about 100 bytes each). */
    static final int FEW = 20_000;
    /** With {@link #rememberIds()}: ids of large-table keys found so far, per table, at most {@link #REMEMBERED} of them. */
    private Map<String, Map<String, Long>> largeIds;
    /** Bound of {@link #largeIds} per table (about 12 MB): a table whose keys outgrow it starts over. */
    static final int REMEMBERED = 100_000;

    /**
     * @param dialect the database's row-lock suffix and key-lookup strategy
     */
    public RowStore(Handle handle, Dialect dialect) {
        this(handle, dialect, Catalog.reference(), false);
    }

    /** A store over the reference schema; see {@link #RowStore(Handle, Dialect, Catalog, boolean)}. */
    public RowStore(Handle handle, Dialect dialect, boolean planning) {
        this(handle, dialect, Catalog.reference(), planning);
    }

    /**
     * @param catalog  the tables references point into
     * @param planning {@code true} for a store that only reads while nothing is written (planning):
     *                 the keys of a large table that holds at most {@link #FEW} rows at its first
     *                 lookup are read at once, and a key not among them is taken to stay absent: a
     *                 fresh import into a new or small table asks the database for none of its million
     *                 keys (the others are still looked up, with the database's own comparison). A row
     *                 someone else inserts meanwhile is caught when the run inserts the same key (the
     *                 unique index refuses it: drift, nothing written).
     */
    public RowStore(Handle handle, Dialect dialect, Catalog catalog, boolean planning) {
        this.handle = handle;
        this.dialect = dialect;
        this.catalog = catalog;
        this.planning = planning;
    }

    /** The tables this store reads, as the run's catalog describes them. */
    public Catalog catalog() {
        return catalog;
    }

    /**
     * Remembers the ids of large-table keys once found (up to {@link #REMEMBERED} per table), so a
     * reference named again in a later chunk (the same user in ten history events) is not looked up
     * again. Only for stores whose handle never removes rows: a key that was found keeps its id
     * (keys are never rewritten, and inside a repeatable-read transaction a later lookup would read
     * the same snapshot); keys not found are not remembered, so rows inserted later are seen.
     *
     * @return this store
     */
    public RowStore rememberIds() {
        largeIds = new HashMap<>();
        return this;
    }

    /** Whether a planning store may skip lookups in {@code spec} because it was empty when first asked. */
    private boolean knownEmpty(TableSpec spec) {
        Set<String> keys = fewKeys(spec);
        return keys != null && keys.isEmpty();
    }

    /**
     * In a planning store, every key ({@link #tuple}) of a large table that held at most {@link #FEW}
     * rows at its first lookup; {@code null} otherwise. A tuple folds case and blanks, so a key not
     * in this set cannot be found by a lookup either; one in it is still looked up, as the
     * database's comparison of its column decides.
     */
    private Set<String> fewKeys(TableSpec spec) {
        if (!planning) {
            return null;
        }
        Set<String> keys = fewKeys.computeIfAbsent(spec.name(), t -> {
            Set<String> all = new HashSet<>();
            List<Map<String, Object>> rows = handle.createQuery("SELECT " + String.join(", ", spec.key()) + " FROM " + t
                    + " LIMIT " + (FEW + 1)).map(canonicalRows(spec)).list();
            if (rows.size() > FEW) {
                return MANY;
            }
            for (Map<String, Object> row : rows) {
                all.add(tuple(keyOf(spec, row)));
            }
            return all;
        });
        return keys == MANY ? null : keys;
    }

    /** The tuples that may exist in {@code spec}'s table: all of them, or those among its {@link #fewKeys}. */
    private Collection<List<Object>> candidates(TableSpec spec, Collection<List<Object>> tuples) {
        Set<String> few = fewKeys(spec);
        if (few == null) {
            return tuples;
        }
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> t : tuples) {
            if (few.contains(tuple(t))) {
                out.add(t);
            }
        }
        return out;
    }

    public Handle handle() {
        return handle;
    }

    /** The text form of a canonical key tuple (ids for reference parts). */
    public static String tuple(List<Object> canonical) {
        StringJoiner j = new StringJoiner("|");
        for (Object o : canonical) {
            j.add(Keys.part(o));
        }
        return j.toString();
    }

    /**
     * The canonical key tuple of a target key map, with references replaced by the ids in
     * {@code resolved}; {@code null} when a reference part has no id (the row cannot exist yet).
     */
    public static List<Object> canonicalKey(TableSpec spec, Map<String, Object> key, Map<Ref, Long> resolved) {
        List<Object> parts = new ArrayList<>(spec.key().size());
        for (String k : spec.key()) {
            Object v = key.get(k);
            if (v instanceof Ref r) {
                Long id = resolved.get(r);
                if (id == null) {
                    return null;
                }
                parts.add(RowIds.refValue(spec.requireColumn(k), id));
            } else {
                parts.add(v);
            }
        }
        return parts;
    }

    /** Resolves references to ids, nested ones first; references with no row are absent from the result. */
    public Map<Ref, Long> resolve(Collection<Ref> refs) {
        Map<Ref, Long> out = new HashMap<>();
        resolveInto(new LinkedHashSet<>(refs), out);
        return out;
    }

    private void resolveInto(Set<Ref> refs, Map<Ref, Long> out) {
        Set<Ref> nested = new LinkedHashSet<>();
        for (Ref r : refs) {
            for (Object p : r.key()) {
                if (p instanceof Ref n && !out.containsKey(n)) {
                    nested.add(n);
                }
            }
        }
        if (!nested.isEmpty()) {
            resolveInto(nested, out);
        }
        Map<String, List<Ref>> byTable = new LinkedHashMap<>();
        for (Ref r : refs) {
            if (!out.containsKey(r)) { // a reference that is also part of another (an event's user) was resolved with the nested ones
                byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<Ref>> e : byTable.entrySet()) {
            TableSpec spec = catalog.table(e.getKey());
            Map<String, List<Object>> tuples = new LinkedHashMap<>();
            Map<Ref, String> tupleOf = new HashMap<>();
            for (Ref r : e.getValue()) {
                List<Object> parts = new ArrayList<>();
                boolean complete = true;
                for (int i = 0; i < r.key().size(); i++) {
                    Object p = r.key().get(i);
                    if (p instanceof Ref n) {
                        Long id = out.get(n);
                        if (id == null) {
                            complete = false;
                            break;
                        }
                        parts.add(RowIds.refValue(spec.requireColumn(spec.key().get(i)), id));
                    } else {
                        parts.add(spec.requireColumn(spec.key().get(i)).type().canonical(p));
                    }
                }
                if (complete) {
                    String t = tuple(parts);
                    tuples.put(t, parts);
                    tupleOf.put(r, t);
                }
            }
            Map<String, Long> ids = idsByTuple(spec, tuples.values());
            for (Map.Entry<Ref, String> rt : tupleOf.entrySet()) {
                Long id = ids.get(rt.getValue());
                if (id != null) {
                    out.put(rt.getKey(), id);
                }
            }
        }
    }

    /** Ids of the rows with these canonical key tuples, keyed by {@link #tuple}. */
    public Map<String, Long> idsByTuple(TableSpec spec, Collection<List<Object>> tuples) {
        Map<String, Long> out = new HashMap<>();
        if (tuples.isEmpty()) {
            return out;
        }
        if (!spec.large()) {
            Map<String, Long> cache = smallKeys(spec);
            for (List<Object> t : tuples) {
                String s = tuple(t);
                Long id = cache.get(s);
                if (id != null) {
                    out.put(s, id);
                }
            }
            return out;
        }
        tuples = candidates(spec, tuples);
        if (tuples.isEmpty()) {
            return out;
        }
        Map<String, Long> remembered = largeIds == null ? null : largeIds.computeIfAbsent(spec.name(), t -> new HashMap<>());
        Collection<List<Object>> missing = tuples;
        if (remembered != null) {
            missing = new ArrayList<>();
            for (List<Object> t : tuples) {
                String s = tuple(t);
                Long id = remembered.get(s);
                if (id != null) {
                    out.put(s, id);
                } else {
                    missing.add(t);
                }
            }
            if (missing.isEmpty()) {
                return out;
            }
        }
        String cols = idAndKey(spec);
        for (Map<String, Object> row : byFirstKey(spec, cols, missing)) {
            String s = tuple(keyOf(spec, row));
            Long id = (Long) row.get("id");
            out.put(s, id);
            if (remembered != null) {
                if (remembered.size() >= REMEMBERED) {
                    remembered.clear();
                }
                remembered.put(s, id);
            }
        }
        return out;
    }

    /**
     * Full rows (canonical values, {@code id} included) whose id lies between {@code min} and
     * {@code max}, keyed by {@link #tuple} of their natural key: the rows one {@code LOAD DATA}
     * just inserted, read while their pages are still in the server's buffer pool.
     */
    public Map<String, Map<String, Object>> rowsInRange(TableSpec spec, long min, long max) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        if (max < min) {
            return out;
        }
        idRange(spec, min, max).map(canonicalRows(spec)).forEach(row -> out.put(tuple(keyOf(spec, row)), row));
        return out;
    }

    /** The columns that give a row's id and key: the surrogate key as {@code id} and the key columns; a keyed table's id comes from its key. */
    private static String idAndKey(TableSpec spec) {
        return (spec.keyed() ? "" : spec.id() + " AS id, ") + String.join(", ", spec.key());
    }

    /** Every row whose id lies between {@code min} and {@code max}: one primary-key range read. */
    private Query idRange(TableSpec spec, long min, long max) {
        requireSurrogate(spec, "an id range");
        return handle.createQuery("SELECT * FROM " + spec.name() + " WHERE " + spec.id() + " BETWEEN :min AND :max").bind("min", min).bind("max", max);
    }

    /**
     * The next {@code limit} full rows (canonical values, {@code id} included) by id after
     * {@code afterId}: one page of the primary key, for a file that lists rows in id order.
     */
    public List<Map<String, Object>> rowsAfterId(TableSpec spec, long afterId, int limit) {
        requireSurrogate(spec, "a page by id");
        if (knownEmpty(spec)) {
            return List.of();
        }
        return handle.createQuery("SELECT * FROM " + spec.name() + " WHERE " + spec.id() + " > :after ORDER BY " + spec.id() + " LIMIT " + limit)
                .bind("after", afterId)
                .map(canonicalRows(spec))
                .list();
    }

    /** Full rows (canonical values, {@code id} included) with these canonical key tuples, keyed by {@link #tuple}. */
    public Map<String, Map<String, Object>> rowsByTuple(TableSpec spec, Collection<List<Object>> tuples) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        if (tuples.isEmpty()) {
            return out;
        }
        if (!spec.large()) {
            Map<String, Long> ids = idsByTuple(spec, tuples);
            for (Map<String, Object> row : rowsById(spec, ids.values(), false).values()) {
                out.put(tuple(keyOf(spec, row)), row);
            }
            return out;
        }
        tuples = candidates(spec, tuples);
        if (tuples.isEmpty()) {
            return out;
        }
        for (Map<String, Object> row : byFirstKey(spec, "*", tuples)) {
            out.put(tuple(keyOf(spec, row)), row);
        }
        return out;
    }

    private static void requireSurrogate(TableSpec spec, String what) {
        if (spec.keyed()) {
            throw new IllegalStateException(spec.name() + " has a natural primary key: rows cannot be read by " + what);
        }
    }

    /** Full rows by id, optionally locked until the end of the transaction. */
    public Map<Long, Map<String, Object>> rowsById(TableSpec spec, Collection<Long> ids, boolean lock) {
        Map<Long, Map<String, Object>> out = new LinkedHashMap<>();
        List<Long> all = new ArrayList<>(new LinkedHashSet<>(ids));
        if (spec.keyed()) {
            // by key columns, a few hundred keys a statement (each is one point of the primary key)
            for (int from = 0; from < all.size(); from += CHUNK / 2) {
                RowIds.Condition where = RowIds.where(spec, all.subList(from, Math.min(all.size(), from + CHUNK / 2)), "k");
                where.bind(handle.createQuery("SELECT * FROM " + spec.name() + " WHERE " + where.sql() + (lock ? dialect.forUpdate() : "")))
                        .map(canonicalRows(spec))
                        .forEach(c -> out.put((Long) c.get("id"), c));
            }
            return out;
        }
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Long> part = all.subList(from, Math.min(all.size(), from + CHUNK));
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (long id : part) {
                min = Math.min(min, id);
                max = Math.max(max, id);
            }
            // ids a run inserted are nearly consecutive: a range scan reads them without a thousand-value IN list;
            // a lock must not take rows outside the list, so locking reads always name their ids
            boolean dense = !lock && max - min < 2L * part.size();
            Set<Long> wanted = dense ? new HashSet<>(part) : null;
            (dense
                    ? idRange(spec, min, max)
                    : handle.createQuery("SELECT * FROM " + spec.name() + " WHERE " + spec.id() + " IN (<ids>)" + (lock ? dialect.forUpdate() : "")).bindList("ids", part))
                    .map(canonicalRows(spec))
                    .forEach(c -> {
                        if (wanted == null || wanted.contains((Long) c.get("id"))) {
                            out.put((Long) c.get("id"), c);
                        }
                    });
        }
        return out;
    }

    /** Records a row inserted through this store's handle, so the small-table cache knows it. */
    public void inserted(TableSpec spec, List<Object> canonicalKey, long id) {
        if (!spec.large()) {
            smallKeys(spec).put(tuple(canonicalKey), id);
        }
    }

    /** Forgets cached keys of a table (after rows were removed). */
    public void forget(TableSpec spec) {
        smallKeys.remove(spec.name());
        if (largeIds != null) {
            largeIds.remove(spec.name());
        }
    }

    /**
     * Maps result rows of {@code spec}'s table to canonical values ({@code id} and each of the
     * table's columns, {@code null} where the query did not select it), reading each column with
     * its typed JDBC getter: the same Java classes on H2 and MySQL, without an intermediate map
     * (the planner reads every stored row of a re-import through it).
     */
    public static RowMapper<Map<String, Object>> canonicalRows(TableSpec spec) {
        return new RowMapper<>() {
            @Override
            public Map<String, Object> map(ResultSet rs, StatementContext ctx) throws SQLException {
                return specialize(rs, ctx).map(rs, ctx);
            }

            @Override
            public RowMapper<Map<String, Object>> specialize(ResultSet rs,
                    StatementContext ctx) throws SQLException {
                ResultSetMetaData md = rs.getMetaData();
                Map<String, Integer> at = new HashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    at.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
                }
                List<ColumnSpec> columns = spec.columns();
                int[] index = new int[columns.size()];
                for (int c = 0; c < index.length; c++) {
                    index[c] = at.getOrDefault(columns.get(c).name(), 0);
                }
                int id = at.getOrDefault(spec.id(), at.getOrDefault(TableSpec.ID, 0));
                return (r, c) -> {
                    Map<String, Object> out = new LinkedHashMap<>(2 * (index.length + 1));
                    out.put("id", id == 0 ? null : read(r, id, ColumnType.ID));
                    for (int k = 0; k < index.length; k++) {
                        out.put(columns.get(k).name(), index[k] == 0 ? null : read(r, index[k], columns.get(k).type()));
                    }
                    if (spec.keyed()) {
                        out.put("id", RowIds.ofRow(spec, out)); // a fingerprint of its key: the query selected the key columns
                    }
                    return out;
                };
            }
        };
    }

    private static Object read(ResultSet rs, int i, ColumnType type) throws SQLException {
        Object v = switch (type) {
            case TEXT -> rs.getString(i);
            case INTEGER -> rs.getInt(i);
            case BIGINT -> rs.getLong(i);
            case DATETIME -> rs.getObject(i, LocalDateTime.class);
            case DECIMAL -> rs.getBigDecimal(i);
            case DATE -> rs.getObject(i, LocalDate.class);
            case BOOLEAN -> rs.getBoolean(i);
            case ID -> rs.getLong(i);
        };
        return rs.wasNull() ? null : v;
    }

    /** The canonical key tuple of a stored row (as read through {@link #canonicalRows}). */
    public static List<Object> keyOf(TableSpec spec, Map<String, Object> row) {
        List<Object> parts = new ArrayList<>(spec.key().size());
        for (String k : spec.key()) {
            parts.add(spec.requireColumn(k).type().canonical(row.get(k)));
        }
        return parts;
    }

    private Map<String, Long> smallKeys(TableSpec spec) {
        return smallKeys.computeIfAbsent(spec.name(), t -> {
            Map<String, Long> cache = new HashMap<>();
            handle.createQuery("SELECT " + idAndKey(spec) + " FROM " + spec.name())
                    .map(canonicalRows(spec))
                    .forEach(row -> cache.put(tuple(keyOf(spec, row)), (Long) row.get("id")));
            return cache;
        });
    }

    private List<Map<String, Object>> byFirstKey(TableSpec spec, String columns, Collection<List<Object>> tuples) {
        if (spec.key().size() > 1 && dialect.wholeKeyLookups()) {
            return byWholeKey(spec, columns, tuples);
        }
        String first = spec.key().get(0);
        ColumnType type = spec.requireColumn(first).type();
        List<Object> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (List<Object> t : tuples) {
            Object v = type.canonical(t.get(0));
            if (seen.add(Keys.part(v))) {
                values.add(v);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int from = 0; from < values.size(); from += CHUNK) {
            List<Object> part = values.subList(from, Math.min(values.size(), from + CHUNK));
            handle.createQuery("SELECT " + columns + " FROM " + spec.name() + " WHERE " + first + " IN (<vals>)")
                    .bindList("vals", part)
                    .map(canonicalRows(spec))
                    .forEach(rows::add);
        }
        return rows;
    }

    /**
     * Rows by their whole composite key, {@code (a = ? AND b = ? AND c = ?) OR ...}: the server reads
     * one point of the unique index per tuple. Matching the first column alone would read every row
     * that shares it (all ten events of each of a thousand users, to find one each), and inside a
     * transaction that has just inserted those rows every extra index entry costs a visit to its
     * clustered record. Callers still match the rows they get by {@link #tuple}.
     */
    private List<Map<String, Object>> byWholeKey(TableSpec spec, String columns, Collection<List<Object>> tuples) {
        Map<String, List<Object>> distinct = new LinkedHashMap<>();
        for (List<Object> t : tuples) {
            List<Object> canonical = new ArrayList<>(t.size());
            for (int i = 0; i < t.size(); i++) {
                canonical.add(spec.requireColumn(spec.key().get(i)).type().canonical(t.get(i)));
            }
            distinct.putIfAbsent(tuple(canonical), canonical);
        }
        List<List<Object>> all = new ArrayList<>(distinct.values());
        List<Map<String, Object>> rows = new ArrayList<>();
        int per = Math.max(1, CHUNK / 2);
        for (int from = 0; from < all.size(); from += per) {
            List<List<Object>> part = all.subList(from, Math.min(all.size(), from + per));
            StringBuilder where = new StringBuilder();
            for (int i = 0; i < part.size(); i++) {
                where.append(i == 0 ? "(" : " OR (");
                for (int k = 0; k < spec.key().size(); k++) {
                    where.append(k == 0 ? "" : " AND ").append(spec.key().get(k)).append(" = :k").append(i).append('_').append(k);
                }
                where.append(')');
            }
            Query q = handle.createQuery("SELECT " + columns + " FROM " + spec.name() + " WHERE " + where);
            for (int i = 0; i < part.size(); i++) {
                for (int k = 0; k < spec.key().size(); k++) {
                    q.bind("k" + i + "_" + k, part.get(i).get(k));
                }
            }
            q.map(canonicalRows(spec)).forEach(rows::add);
        }
        return rows;
    }
}
