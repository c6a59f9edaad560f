package io.safeimport.internal.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An existing table's definition as read by {@link CatalogReader}: what safeimport needs to
 * import into a table it did not create (DESIGN.md §7), and a {@link #fingerprint()} that a
 * snapshot records so that rollback can refuse when the definition changed since.
 *
 * @param name        the name as the database stores it
 * @param columns     in the table's column order
 * @param primaryKey  the primary-key columns in key order; empty when the table has none
 * @param uniqueKeys  the columns of every unique index, the primary key's included, each in index order
 * @param foreignKeys the table's foreign keys
 */
public record TableInfo(String name, List<ColumnInfo> columns, List<String> primaryKey, List<List<String>> uniqueKeys,
                        List<ForeignKeyInfo> foreignKeys) {
    public TableInfo {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
        foreignKeys = List.copyOf(foreignKeys);
    }

    /** The column of that name (compared ignoring case, as unquoted SQL names are), if the table has it. */
    public Optional<ColumnInfo> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }

    /**
     * Whether {@code cols} (in any order, ignoring case) are exactly the primary key or exactly the
     * columns of a unique index, so that they identify at most one row.
     */
    public boolean isUnique(List<String> cols) {
        Set<String> wanted = lowerSet(cols);
        if (wanted.size() != cols.size() || wanted.isEmpty()) {
            return false;
        }
        if (lowerSet(primaryKey).equals(wanted)) {
            return true;
        }
        return uniqueKeys.stream().anyMatch(k -> lowerSet(k).equals(wanted));
    }

    /**
     * The SHA-256 (hex) of a canonical text of the definition: every column with its type, length,
     * precision, scale, nullability, default, auto-increment and ENUM values, the primary key, the
     * unique keys and the foreign keys. The same for two reads of an unchanged table; different when
     * any of those changes. Index and constraint names are left out: renaming one changes nothing
     * that an import or a rollback relies on.
     */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder("table ").append(name).append('\n');
        for (ColumnInfo c : columns) {
            sb.append("column ").append(c.name()).append(' ').append(c.jdbcType()).append(' ').append(c.typeName())
                    .append(" length=").append(c.length()).append(" precision=").append(c.precision())
                    .append(" scale=").append(c.scale()).append(c.nullable() ? " null" : " not-null")
                    .append(" default=").append(c.defaultValue() == null ? "none" : "[" + c.defaultValue() + "]")
                    .append(c.autoIncrement() ? " auto-increment" : "").append(" enum=").append(c.enumValues()).append('\n');
        }
        sb.append("primary-key ").append(primaryKey).append('\n');
        List<String> keys = new ArrayList<>(uniqueKeys.stream().map(Object::toString).toList());
        keys.sort(Comparator.naturalOrder());
        keys.forEach(k -> sb.append("unique ").append(k).append('\n'));
        List<String> fks = new ArrayList<>(foreignKeys.stream()
                .map(f -> f.columns() + " -> " + f.table() + f.referencedColumns()).toList());
        fks.sort(Comparator.naturalOrder());
        fks.forEach(f -> sb.append("foreign-key ").append(f).append('\n'));
        return sha256(sb.toString());
    }

    private static Set<String> lowerSet(List<String> names) {
        Set<String> set = new HashSet<>();
        names.forEach(n -> set.add(n.toLowerCase(Locale.ROOT)));
        return set;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
