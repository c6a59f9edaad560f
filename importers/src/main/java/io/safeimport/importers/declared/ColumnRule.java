package io.safeimport.importers.declared;

import io.safeimport.internal.catalog.ColumnInfo;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.CsvRow;
import io.safeimport.validators.Values;
import java.sql.Types;
import java.util.Locale;
import java.util.Optional;

/**
 * How one CSV value is read for the table column it goes into, as the database describes that
 * column (DESIGN.md §7 "Types come from the database"): text up to the column's own length (line
 * breaks kept), whole numbers in the column's range, decimals at its precision and scale, ISO dates
 * and date-times, booleans as §4, ENUM columns only their values. Stateless.
 *
 * @param type      the pipeline's kind of value for the column
 * @param length    for text, the most characters the column holds
 * @param min       for whole numbers, the smallest value the column holds
 * @param max       for whole numbers, the largest value the column holds
 * @param precision for decimals, the column's precision
 * @param scale     for decimals, the column's scale
 * @param info      the column as the database describes it
 */
record ColumnRule(ColumnType type, int length, long min, long max, int precision, int scale, ColumnInfo info) {

    /** The rule for {@code column}, or empty when safeimport cannot type its values yet (floating point, binary, time of day). */
    static Optional<ColumnRule> of(ColumnInfo column) {
        if (!column.enumValues().isEmpty()) {
            int longest = column.enumValues().stream().mapToInt(String::length).max().orElse(1);
            return Optional.of(new ColumnRule(ColumnType.TEXT, Math.max(longest, 1), 0, 0, 0, 0, column));
        }
        boolean unsigned = column.typeName().toUpperCase(Locale.ROOT).contains("UNSIGNED");
        return Optional.ofNullable(switch (column.jdbcType()) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB ->
                    new ColumnRule(ColumnType.TEXT, column.length() > 0 ? column.length() : Integer.MAX_VALUE, 0, 0, 0, 0, column);
            case Types.TINYINT -> whole(column, unsigned ? 0 : Byte.MIN_VALUE, unsigned ? 255 : Byte.MAX_VALUE);
            case Types.SMALLINT -> whole(column, unsigned ? 0 : Short.MIN_VALUE, unsigned ? 65_535 : Short.MAX_VALUE);
            case Types.INTEGER -> unsigned ? new ColumnRule(ColumnType.BIGINT, 0, 0, 4_294_967_295L, 0, 0, column)
                    : whole(column, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case Types.BIGINT -> new ColumnRule(ColumnType.BIGINT, 0, unsigned ? 0 : Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, column);
            case Types.DECIMAL, Types.NUMERIC -> column.precision() > 0
                    ? new ColumnRule(ColumnType.DECIMAL, 0, 0, 0, column.precision(), Math.max(column.scale(), 0), column) : null;
            case Types.DATE -> new ColumnRule(ColumnType.DATE, 0, 0, 0, 0, 0, column);
            case Types.TIMESTAMP -> new ColumnRule(ColumnType.DATETIME, 0, 0, 0, 0, 0, column);
            case Types.BOOLEAN, Types.BIT -> new ColumnRule(ColumnType.BOOLEAN, 0, 0, 0, 0, 0, column);
            default -> null;
        });
    }

    private static ColumnRule whole(ColumnInfo column, long min, long max) {
        return new ColumnRule(ColumnType.INTEGER, 0, min, max, 0, 0, column);
    }

    /**
     * A reference's column that holds the referenced row's natural primary key (a job code) rather
     * than a surrogate id: typed as this column holds values, pointing at {@code references}.
     */
    ColumnSpec keyReference(String references) {
        return new ColumnSpec(info.name(), type, references, info.nullable(), null, type == ColumnType.TEXT ? length : 0);
    }

    /** The column as the pipeline sees it: a plain value column, or {@code references} for a reference's column. */
    ColumnSpec spec(String references) {
        boolean nullable = info.nullable();
        if (references != null) {
            return ColumnSpec.ref(info.name(), references, nullable);
        }
        if (type == ColumnType.TEXT) {
            return ColumnSpec.text(info.name(), nullable, length);
        }
        return new ColumnSpec(info.name(), type, null, nullable, null, 0);
    }

    /**
     * The value of {@code csvColumn} in {@code row}, typed for this column, or {@code null} when the
     * cell is blank or was refused (the refusal is on the row).
     *
     * @param email {@code format: email}: trimmed, lower-cased and checked as an address
     */
    Object read(CsvRow row, String csvColumn, boolean email) {
        if (email) {
            String v = Values.email(row, csvColumn);
            if (v != null && v.length() > length) { // an address is ASCII: one char per character
                row.reject(csvColumn, "too_long", "the address is " + v.length() + " characters long; at most " + length
                        + " fit in column " + info.name() + ": shorten it");
                return null;
            }
            return v;
        }
        if (!info.enumValues().isEmpty()) {
            return enumValue(row, csvColumn);
        }
        return switch (type) {
            case TEXT -> Values.multiLineText(row, csvColumn, length);
            case INTEGER -> {
                Long n = Values.whole(row, csvColumn, min, max);
                yield n == null ? null : Integer.valueOf(n.intValue());
            }
            case BIGINT -> Values.whole(row, csvColumn, min, max);
            case DECIMAL -> Values.decimal(row, csvColumn, precision, scale);
            case DATE -> Values.date(row, csvColumn);
            case DATETIME -> Values.dateTime(row, csvColumn);
            case BOOLEAN -> Values.bool(row, csvColumn);
            case ID -> throw new IllegalStateException("an id column is filled by the database, not read from a file");
        };
    }

    /** One of the ENUM's values, matched ignoring case, stored as the column spells it ({@code invalid_value}). */
    private String enumValue(CsvRow row, String csvColumn) {
        String v = row.get(csvColumn);
        if (v == null) {
            return null;
        }
        for (String allowed : info.enumValues()) {
            if (allowed.equalsIgnoreCase(v)) {
                return allowed;
            }
        }
        row.reject(csvColumn, "invalid_value", "'" + v + "' is not one of the values column " + info.name() + " allows: "
                + String.join(", ", info.enumValues()));
        return null;
    }
}
