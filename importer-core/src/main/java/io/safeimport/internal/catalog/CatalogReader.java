package io.safeimport.internal.catalog;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads an existing table's definition through JDBC {@link DatabaseMetaData}, in the connection's
 * current database (MySQL/MariaDB: the current database as catalog; PostgreSQL:
 * {@code current_schema()}; H2: the current schema), so that safeimport can import into tables
 * it did not create (DESIGN.md §7). ENUM values, which {@code DatabaseMetaData} does not give,
 * and the character limit of a MySQL {@code TEXT} column, come from each database's own catalog
 * ({@link VendorColumns}).
 *
 * <p>Reads only; never changes the connection's state. Not thread-safe with respect to the
 * connection it is given: use one connection per thread.
 */
public final class CatalogReader {
    private static final Set<Integer> TEXT_TYPES = Set.of(Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR,
            Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB);

    /**
     * The definition of {@code table} (an unquoted name, matched as the database stores names:
     * upper-cased where it stores upper case, lower-cased where it stores lower case), or empty
     * when the current catalog/schema has no such table.
     *
     * @throws SQLException when the database cannot be asked
     */
    public Optional<TableInfo> read(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Place place = Place.of(c, md);
        String stored = storedName(md, table);
        List<ColumnInfo> columns = columns(c, md, place, stored);
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<String> primaryKey = primaryKey(md, place, stored);
        return Optional.of(new TableInfo(stored, columns, primaryKey, uniqueKeys(md, place, stored, primaryKey),
                foreignKeys(md, place, stored)));
    }

    private static String storedName(DatabaseMetaData md, String name) throws SQLException {
        if (md.storesUpperCaseIdentifiers()) {
            return name.toUpperCase(Locale.ROOT);
        }
        return md.storesLowerCaseIdentifiers() ? name.toLowerCase(Locale.ROOT) : name;
    }

    private static List<ColumnInfo> columns(Connection c, DatabaseMetaData md, Place place, String table) throws SQLException {
        Map<String, List<String>> enums = VendorColumns.enumValues(c, place.product(), table);
        Map<String, Integer> textChars = VendorColumns.textCharacters(c, place.product(), table);
        List<ColumnInfo> columns = new ArrayList<>();
        try (ResultSet rs = md.getColumns(place.catalog(), place.schema(), place.pattern(md, table), null)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))) {
                    columns.add(column(rs, enums, textChars));
                }
            }
        }
        return columns;
    }

    private static ColumnInfo column(ResultSet rs, Map<String, List<String>> enums, Map<String, Integer> textChars)
            throws SQLException {
        String name = rs.getString("COLUMN_NAME");
        int type = rs.getInt("DATA_TYPE");
        int size = rs.getInt("COLUMN_SIZE");
        List<String> values = enums.getOrDefault(name, List.of());
        boolean exact = type == Types.DECIMAL || type == Types.NUMERIC;
        if (type == Types.BIT && size <= 1) {
            type = Types.BOOLEAN;
        }
        boolean autoIncrement = "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"));
        String def = autoIncrement ? null : defaultValue(rs.getString("COLUMN_DEF"));
        // an ENUM holds its longest value, whatever the driver says (PostgreSQL: unlimited; H2: 0)
        int length = !values.isEmpty() ? values.stream().mapToInt(String::length).max().orElse(0)
                : TEXT_TYPES.contains(type) ? textChars.getOrDefault(name, size) : 0;
        return new ColumnInfo(name, type, rs.getString("TYPE_NAME"), length, exact ? size : 0, exact ? rs.getInt("DECIMAL_DIGITS") : 0,
                rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, def, autoIncrement, values);
    }

    /** MariaDB writes "no default" of a nullable column as the text {@code NULL}; every database means none by it. */
    private static String defaultValue(String def) {
        return def == null || def.isBlank() || def.trim().equalsIgnoreCase("NULL") ? null : def.trim();
    }

    private static List<String> primaryKey(DatabaseMetaData md, Place place, String table) throws SQLException {
        Map<Integer, String> bySeq = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(place.catalog(), place.schema(), table)) {
            while (rs.next()) {
                bySeq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(bySeq.values());
    }

    private static List<List<String>> uniqueKeys(DatabaseMetaData md, Place place, String table, List<String> primaryKey)
            throws SQLException {
        Map<String, Map<Integer, String>> byIndex = new TreeMap<>();
        try (ResultSet rs = md.getIndexInfo(place.catalog(), place.schema(), table, true, true)) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME");
                if (rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic || column == null || rs.getBoolean("NON_UNIQUE")) {
                    continue;
                }
                byIndex.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new TreeMap<>()).put((int) rs.getShort("ORDINAL_POSITION"), column);
            }
        }
        List<List<String>> keys = new ArrayList<>();
        if (!primaryKey.isEmpty()) {
            keys.add(primaryKey);
        }
        for (Map<Integer, String> index : byIndex.values()) {
            List<String> cols = List.copyOf(index.values());
            if (!keys.contains(cols)) {
                keys.add(cols);
            }
        }
        return keys;
    }

    private static List<ForeignKeyInfo> foreignKeys(DatabaseMetaData md, Place place, String table) throws SQLException {
        // grouped by constraint name (or, where a driver gives none, by referenced table) in key order
        Map<String, List<String[]>> byKey = new LinkedHashMap<>();
        try (ResultSet rs = md.getImportedKeys(place.catalog(), place.schema(), table)) {
            while (rs.next()) {
                String fk = rs.getString("FK_NAME");
                String group = (fk == null ? "" : fk) + "\u0000" + rs.getString("PKTABLE_NAME");
                byKey.computeIfAbsent(group, k -> new ArrayList<>()).add(new String[] {
                        String.valueOf(rs.getShort("KEY_SEQ")), rs.getString("FKCOLUMN_NAME"), rs.getString("PKTABLE_NAME"),
                        rs.getString("PKCOLUMN_NAME")});
            }
        }
        List<ForeignKeyInfo> keys = new ArrayList<>();
        for (List<String[]> rows : byKey.values()) {
            rows.sort((a, b) -> Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0])));
            keys.add(new ForeignKeyInfo(rows.stream().map(r -> r[1]).toList(), rows.get(0)[2], rows.stream().map(r -> r[3]).toList()));
        }
        keys.sort((a, b) -> a.columns().toString().compareTo(b.columns().toString()));
        return keys;
    }

    /** Where the connection's own tables are: its catalog and schema, and which database it is. */
    record Place(VendorColumns.Product product, String catalog, String schema) {
        static Place of(Connection c, DatabaseMetaData md) throws SQLException {
            VendorColumns.Product product = VendorColumns.Product.of(md.getDatabaseProductName());
            return switch (product) {
                case MYSQL -> new Place(product, c.getCatalog(), null);
                case POSTGRES -> new Place(product, c.getCatalog(), currentSchema(c));
                case H2, OTHER -> new Place(product, c.getCatalog(), c.getSchema());
            };
        }

        private static String currentSchema(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                return rs.getString(1);
            }
        }

        /** The name as a {@code LIKE} pattern that matches only itself ({@code _} is a wildcard there). */
        String pattern(DatabaseMetaData md, String name) throws SQLException {
            String escape = md.getSearchStringEscape();
            if (escape == null || escape.isEmpty()) {
                return name;
            }
            return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
        }
    }
}
