package io.safeimport.internal.plan;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.TableSpec;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Turns stored rows into canonical values and their natural keys. Every read of a reference
 * table goes through it, so the planner, the snapshot and the key lookups see the same Java
 * classes whatever the database; {@link RowStore#canonicalRows} and {@link RowStore#keyOf} are
 * its public face.
 */
final class CanonicalRows {
    private CanonicalRows() {
    }

    /**
     * Maps result rows of {@code spec}'s table to canonical values ({@code id} and each of the
     * table's columns, {@code null} where the query did not select it), reading each column with
     * its typed JDBC getter: the same Java classes on H2 and MySQL, without an intermediate map
     * (the planner reads every stored row of a re-import through it).
     */
    static RowMapper<Map<String, Object>> mapper(TableSpec spec) {
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

    /** The canonical key tuple of a stored row (as read through {@link #mapper}). */
    static List<Object> keyOf(TableSpec spec, Map<String, Object> row) {
        List<Object> parts = new ArrayList<>(spec.key().size());
        for (String k : spec.key()) {
            parts.add(spec.requireColumn(k).type().canonical(row.get(k)));
        }
        return parts;
    }
}
