package io.safeimport.internal.plan;

import io.safeimport.internal.db.Dialect;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

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
    private final KeyLookups lookups;
    /** In a planning store, the keys of large tables that had few rows; {@code null} otherwise. */
    private final FewKeys fewKeys;
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
        this.lookups = new KeyLookups(handle, dialect);
        this.fewKeys = planning ? new FewKeys(handle) : null;
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
        return fewKeys != null && fewKeys.knownEmpty(spec);
    }

    /** The tuples that may exist in {@code spec}'s table: all of them, or those among its {@link FewKeys}. */
    private Collection<List<Object>> candidates(TableSpec spec, Collection<List<Object>> tuples) {
        return fewKeys == null ? tuples : fewKeys.candidates(spec, tuples);
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
        for (Map<String, Object> row : lookups.byKey(spec, cols, missing)) {
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
        for (Map<String, Object> row : lookups.byKey(spec, "*", tuples)) {
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
     * table's columns, {@code null} where the query did not select it); see {@link CanonicalRows}.
     */
    public static RowMapper<Map<String, Object>> canonicalRows(TableSpec spec) {
        return CanonicalRows.mapper(spec);
    }

    /** The canonical key tuple of a stored row (as read through {@link #canonicalRows}). */
    public static List<Object> keyOf(TableSpec spec, Map<String, Object> row) {
        return CanonicalRows.keyOf(spec, row);
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
}
