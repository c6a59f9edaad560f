package io.safeimport.internal.plan;

import io.safeimport.spi.TableSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * For a planning {@link RowStore}: every key ({@link RowStore#tuple}) of each large table that
 * held at most {@link RowStore#FEW} rows at its first lookup, read at once. A fresh import into a
 * new or small table then asks the database for none of its keys; the store's own caches and
 * lookups stay as they are for tables with more rows.
 */
final class FewKeys {
    /** Marks a large table that had more than {@link RowStore#FEW} rows when first asked. */
    private static final Set<String> MANY = Collections.unmodifiableSet(new HashSet<>());

    private final Handle handle;
    /** Per large table: every key when it had few rows, else {@link #MANY}. */
    private final Map<String, Set<String>> byTable = new HashMap<>();

    FewKeys(Handle handle) {
        this.handle = handle;
    }

    /** Whether lookups in {@code spec} may be skipped because it was empty when first asked. */
    boolean knownEmpty(TableSpec spec) {
        Set<String> keys = of(spec);
        return keys != null && keys.isEmpty();
    }

    /**
     * Every key of a large table that held at most {@link RowStore#FEW} rows at its first lookup;
     * {@code null} otherwise. A tuple folds case and blanks, so a key not in this set cannot be
     * found by a lookup either; one in it is still looked up, as the database's comparison of its
     * column decides.
     */
    private Set<String> of(TableSpec spec) {
        Set<String> keys = byTable.computeIfAbsent(spec.name(), t -> {
            Set<String> all = new HashSet<>();
            List<Map<String, Object>> rows = handle.createQuery("SELECT " + String.join(", ", spec.key()) + " FROM " + t
                    + " LIMIT " + (RowStore.FEW + 1)).map(CanonicalRows.mapper(spec)).list();
            if (rows.size() > RowStore.FEW) {
                return MANY;
            }
            for (Map<String, Object> row : rows) {
                all.add(RowStore.tuple(CanonicalRows.keyOf(spec, row)));
            }
            return all;
        });
        return keys == MANY ? null : keys;
    }

    /** The tuples that may exist in {@code spec}'s table: all of them, or those among its few keys. */
    Collection<List<Object>> candidates(TableSpec spec, Collection<List<Object>> tuples) {
        Set<String> few = of(spec);
        if (few == null) {
            return tuples;
        }
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> t : tuples) {
            if (few.contains(RowStore.tuple(t))) {
                out.add(t);
            }
        }
        return out;
    }
}
