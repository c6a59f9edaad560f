package io.safeimport.internal.catalog;

import java.util.List;

/**
 * One column of an existing table as the database describes it, so that values can be checked
 * against the column they go into (DESIGN.md §7: "types come from the database").
 *
 * @param name          the name as the database stores it
 * @param jdbcType      a {@link java.sql.Types} constant; a one-bit {@code BIT} (MySQL's {@code BOOLEAN},
 *                      PostgreSQL's {@code bool}) is reported as {@code BOOLEAN}
 * @param typeName      the database's own type name ({@code VARCHAR}, {@code int4}, {@code ENUM}, an enum type's name)
 * @param length        the most characters a text column holds; 0 for any other column
 * @param precision     digits of an exact decimal ({@code DECIMAL}/{@code NUMERIC}); 0 for any other column
 * @param scale         digits after the point of an exact decimal; 0 for any other column
 * @param nullable      whether the column accepts NULL
 * @param defaultValue  the default as the database writes it, {@code null} when none (and for an
 *                      auto-increment column, whose generator is {@code autoIncrement}, not a default)
 * @param autoIncrement whether the database fills it (AUTO_INCREMENT, {@code serial}, identity)
 * @param enumValues    the allowed values of an ENUM column in their declared order; empty otherwise
 */
public record ColumnInfo(String name, int jdbcType, String typeName, int length, int precision, int scale,
                         boolean nullable, String defaultValue, boolean autoIncrement, List<String> enumValues) {
    public ColumnInfo {
        enumValues = List.copyOf(enumValues);
    }

    /** Whether the column is filled when a new row leaves it out: it has a default, is auto-increment, or is nullable. */
    public boolean fillsItself() {
        return nullable || defaultValue != null || autoIncrement;
    }

    /** Whether the column holds text (so that, for example, {@code format: email} fits it). */
    public boolean isText() {
        return length > 0 || !enumValues.isEmpty();
    }
}
