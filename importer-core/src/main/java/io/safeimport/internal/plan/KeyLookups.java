package io.safeimport.internal.plan;

import io.safeimport.internal.db.Dialect;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.TableSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Finds the rows of a large table by natural key, {@link RowStore#CHUNK} keys a query, in the
 * way the database answers fastest: {@code IN (...)} on the first key column, or the whole
 * composite key where the dialect asks for it. Kept apart from {@link RowStore}, which decides
 * which keys still need asking (its caches), so the SQL of a lookup is in one place.
 */
final class KeyLookups {
    private final Handle handle;
    private final Dialect dialect;

    KeyLookups(Handle handle, Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    /**
     * Rows of {@code spec}'s table (the {@code columns} selected, as canonical values) that may have
     * one of these key tuples; callers match the rows they get by {@link RowStore#tuple}.
     */
    List<Map<String, Object>> byKey(TableSpec spec, String columns, Collection<List<Object>> tuples) {
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
        for (int from = 0; from < values.size(); from += RowStore.CHUNK) {
            List<Object> part = values.subList(from, Math.min(values.size(), from + RowStore.CHUNK));
            handle.createQuery("SELECT " + columns + " FROM " + spec.name() + " WHERE " + first + " IN (<vals>)")
                    .bindList("vals", part)
                    .map(CanonicalRows.mapper(spec))
                    .forEach(rows::add);
        }
        return rows;
    }

    /**
     * Rows by their whole composite key, {@code (a = ? AND b = ? AND c = ?) OR ...}: the server reads
     * one point of the unique index per tuple. Matching the first column alone would read every row
     * that shares it (all ten events of each of a thousand users, to find one each), and inside a
     * transaction that has just inserted those rows every extra index entry costs a visit to its
     * clustered record. Callers still match the rows they get by {@link RowStore#tuple}.
     */
    private List<Map<String, Object>> byWholeKey(TableSpec spec, String columns, Collection<List<Object>> tuples) {
        Map<String, List<Object>> distinct = new LinkedHashMap<>();
        for (List<Object> t : tuples) {
            List<Object> canonical = new ArrayList<>(t.size());
            for (int i = 0; i < t.size(); i++) {
                canonical.add(spec.requireColumn(spec.key().get(i)).type().canonical(t.get(i)));
            }
            distinct.putIfAbsent(RowStore.tuple(canonical), canonical);
        }
        List<List<Object>> all = new ArrayList<>(distinct.values());
        List<Map<String, Object>> rows = new ArrayList<>();
        int per = Math.max(1, RowStore.CHUNK / 2);
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
            q.map(CanonicalRows.mapper(spec)).forEach(rows::add);
        }
        return rows;
    }
}
