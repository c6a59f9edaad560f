package io.safeimport.internal.pipeline;

import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The natural keys of stored rows by id, for plan lines: a relationship the plan keeps or
 * replaces is shown as the operator knows it ({@code 'Platform'}, {@code 'boss@acme.example'},
 * {@code 'ENG/2'} for a ladder level), never as an internal id. Read in batches, one query per
 * table and chunk; remembered up to {@link #LIMIT} keys per table (teams and ladders are few, managers
 * repeat), so memory stays bounded on any file. Confined to the planning thread.
 */
final class StoredKeys {
    static final int LIMIT = 10_000;

    private final RowStore store;
    private final Map<String, Map<Long, String>> cache = new HashMap<>();

    StoredKeys(RowStore store) {
        this.store = store;
    }

    /** Reads the keys of these rows of {@code table} not known yet. */
    void prefetch(String table, Collection<Long> ids) {
        Map<Long, String> known = known(table);
        Set<Long> missing = new HashSet<>();
        for (Long id : ids) {
            if (!known.containsKey(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            known.putAll(read(store.catalog().table(table), missing));
        }
    }

    /** The natural key of row {@code id} of {@code table}, parts joined by {@code /}; {@code #id} if the row is gone. */
    String keyOf(String table, long id) {
        String key = known(table).get(id);
        if (key == null) {
            prefetch(table, List.of(id));
            key = known(table).get(id);
        }
        return key == null ? "#" + id : key;
    }

    private Map<Long, String> known(String table) {
        return cache.computeIfAbsent(table, t -> new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
                return size() > LIMIT;
            }
        });
    }

    /** Keys by id; a key column that is a reference (a level's ladder) is shown by that row's key. */
    private Map<Long, String> read(TableSpec spec, Set<Long> ids) {
        Map<Long, List<Object>> parts = new HashMap<>();
        List<Long> all = new ArrayList<>(ids);
        String columns = String.join(", ", spec.key());
        for (int from = 0; from < all.size(); from += RowStore.CHUNK) {
            store.handle().createQuery("SELECT " + spec.id() + " AS id, " + columns + " FROM " + spec.name() + " WHERE " + spec.id() + " IN (<ids>)")
                    .bindList("ids", all.subList(from, Math.min(all.size(), from + RowStore.CHUNK)))
                    .mapToMap()
                    .forEach(row -> {
                        List<Object> p = new ArrayList<>();
                        for (String k : spec.key()) {
                            p.add(row.get(k)); // Jdbi's map mapper lower-cases column names on every database
                        }
                        parts.put(((Number) row.get("id")).longValue(), p);
                    });
        }
        for (int i = 0; i < spec.key().size(); i++) {
            ColumnSpec c = spec.requireColumn(spec.key().get(i));
            if (c.isReference() && !RowIds.pointsAtKeyed(c)) { // a natural key part is shown as it is
                Set<Long> refs = new HashSet<>();
                for (List<Object> p : parts.values()) {
                    if (p.get(i) instanceof Number n) {
                        refs.add(n.longValue());
                    }
                }
                prefetch(c.references(), refs);
                for (List<Object> p : parts.values()) {
                    if (p.get(i) instanceof Number n) {
                        p.set(i, keyOf(c.references(), n.longValue()));
                    }
                }
            }
        }
        Map<Long, String> out = new HashMap<>();
        parts.forEach((id, p) -> out.put(id, String.join("/", p.stream().map(String::valueOf).toList())));
        return out;
    }
}
