package io.safeimport.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code DatabaseMetaData} does not tell about a table's columns, from each database's own
 * catalog: the allowed values of ENUM columns (MySQL/MariaDB spell them in
 * {@code information_schema.columns.column_type} as {@code enum('a','b')}, PostgreSQL keeps a
 * user-defined enum type's labels in {@code pg_enum}, H2 2.x lists them in
 * {@code information_schema.enum_values}), and how many characters a MySQL/MariaDB
 * {@code TEXT} column surely holds (its limit is in bytes: 65,535 bytes are 16,383 characters in
 * {@code utf8mb4}).
 */
final class VendorColumns {
    /** The databases whose catalogs differ here. */
    enum Product {
        MYSQL, POSTGRES, H2, OTHER;

        static Product of(String productName) {
            String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
            if (p.contains("mysql") || p.contains("mariadb")) {
                return MYSQL;
            }
            if (p.contains("postgres")) {
                return POSTGRES;
            }
            return p.equals("h2") ? H2 : OTHER;
        }
    }

    private static final String MYSQL = "SELECT column_name, column_type FROM information_schema.columns"
            + " WHERE table_schema = DATABASE() AND table_name = ? AND data_type = 'enum'";
    private static final String POSTGRES = "SELECT a.attname, e.enumlabel FROM pg_attribute a"
            + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " JOIN pg_enum e ON e.enumtypid = a.atttypid"
            + " WHERE n.nspname = current_schema() AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped"
            + " ORDER BY a.attnum, e.enumsortorder";
    private static final String H2 = "SELECT c.column_name, e.value_name FROM information_schema.columns c"
            + " JOIN information_schema.enum_values e ON e.object_catalog = c.table_catalog AND e.object_schema = c.table_schema"
            + " AND e.object_name = c.table_name AND e.object_type = 'TABLE' AND e.enum_identifier = c.dtd_identifier"
            + " WHERE c.table_schema = CURRENT_SCHEMA AND c.table_name = ? ORDER BY c.ordinal_position, e.value_ordinal";

    private static final String MYSQL_TEXT = "SELECT c.column_name, c.character_octet_length DIV s.maxlen"
            + " FROM information_schema.columns c JOIN information_schema.character_sets s ON s.character_set_name = c.character_set_name"
            + " WHERE c.table_schema = DATABASE() AND c.table_name = ? AND c.data_type IN ('tinytext', 'text', 'mediumtext', 'longtext')";

    private VendorColumns() {
    }

    /**
     * Column name → the characters it surely holds, for the MySQL/MariaDB {@code TEXT} columns of
     * {@code table} (as stored); empty on other databases, whose drivers give text limits in characters.
     */
    static Map<String, Integer> textCharacters(Connection c, Product product, String table) throws SQLException {
        Map<String, Integer> chars = new LinkedHashMap<>();
        if (product != Product.MYSQL) {
            return chars;
        }
        try (PreparedStatement ps = c.prepareStatement(MYSQL_TEXT)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chars.put(rs.getString(1), (int) Math.min(Integer.MAX_VALUE, rs.getLong(2)));
                }
            }
        }
        return chars;
    }

    /** Column name → its values in declared order, for the ENUM columns of {@code table} (as stored). */
    static Map<String, List<String>> enumValues(Connection c, Product product, String table) throws SQLException {
        String sql = switch (product) {
            case MYSQL -> MYSQL;
            case POSTGRES -> POSTGRES;
            case H2 -> H2;
            case OTHER -> null;
        };
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (sql == null) {
            return values;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (product == Product.MYSQL) {
                        values.put(rs.getString(1), parseMySql(rs.getString(2)));
                    } else {
                        values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
        }
        return values;
    }

    /** The values of a MySQL column type {@code enum('a','it''s')}: quoted with {@code '}, a quote doubled. */
    static List<String> parseMySql(String columnType) {
        List<String> values = new ArrayList<>();
        int i = columnType.indexOf('(') + 1;
        StringBuilder sb = null;
        for (; i < columnType.length(); i++) {
            char ch = columnType.charAt(i);
            if (sb == null) {
                if (ch == '\'') {
                    sb = new StringBuilder();
                }
            } else if (ch == '\'' && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                sb.append('\'');
                i++;
            } else if (ch == '\'') {
                values.add(sb.toString());
                sb = null;
            } else {
                sb.append(ch);
            }
        }
        return values;
    }
}
