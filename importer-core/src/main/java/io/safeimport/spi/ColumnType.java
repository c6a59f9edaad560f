package io.safeimport.spi;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * The kinds of value a reference-schema column holds. Each kind knows how to bring a value
 * read through JDBC (whose Java class differs between H2 and MySQL drivers) and a value read
 * back from a snapshot's JSON into one canonical Java form, so comparisons and restores agree
 * on every database.
 */
public enum ColumnType {
    /** Free text; canonical form {@link String}. */
    TEXT,
    /** A whole number; canonical form {@link Integer}. */
    INTEGER,
    /** A whole number beyond {@code int}'s range ({@code BIGINT}); canonical form {@link Long}. */
    BIGINT,
    /** A fixed-point amount; canonical form {@link BigDecimal}, compared numerically. */
    DECIMAL,
    /** An ISO date; canonical form {@link LocalDate}. */
    DATE,
    /** A date and time of day without a zone ({@code DATETIME}, {@code TIMESTAMP}); canonical form {@link LocalDateTime}. */
    DATETIME,
    /** A flag; canonical form {@link Boolean}. */
    BOOLEAN,
    /** A surrogate id, own or of a referenced row; canonical form {@link Long}. */
    ID;

    /**
     * Converts a JDBC value or a snapshot JSON scalar ({@code String}, {@code Number},
     * {@code Boolean}) into the canonical form. {@code null} stays {@code null}.
     */
    public Object canonical(Object value) {
        if (value == null) {
            return null;
        }
        switch (this) {
            case TEXT:
                return value.toString();
            case INTEGER:
                return value instanceof Number n ? Integer.valueOf(n.intValue()) : Integer.valueOf(value.toString().trim());
            case BIGINT:
                return value instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(value.toString().trim());
            case DATETIME:
                if (value instanceof LocalDateTime t) {
                    return t;
                }
                if (value instanceof Timestamp t) {
                    return t.toLocalDateTime();
                }
                return LocalDateTime.parse(value.toString().trim().replace(' ', 'T'));
            case DECIMAL:
                return value instanceof BigDecimal b ? b : new BigDecimal(value.toString().trim());
            case DATE:
                if (value instanceof LocalDate d) {
                    return d;
                }
                if (value instanceof Date d) {
                    return d.toLocalDate();
                }
                if (value instanceof Timestamp t) {
                    return t.toLocalDateTime().toLocalDate();
                }
                return LocalDate.parse(value.toString().trim());
            case BOOLEAN:
                if (value instanceof Boolean b) {
                    return b;
                }
                if (value instanceof Number n) {
                    return n.intValue() != 0;
                }
                return Boolean.valueOf(value.toString().trim());
            case ID:
                return value instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(value.toString().trim());
            default:
                throw new IllegalStateException("unknown column type " + this);
        }
    }

    /** Whether two values of this type are the same stored value (decimals compare numerically). */
    public boolean same(Object a, Object b) {
        Object x = canonical(a);
        Object y = canonical(b);
        if (x == null || y == null) {
            return x == y;
        }
        if (this == DECIMAL) {
            return ((BigDecimal) x).compareTo((BigDecimal) y) == 0;
        }
        return Objects.equals(x, y);
    }

    /** The form written to snapshot JSON: dates, date-times and decimals as strings (ISO 8601), the rest as is. */
    public Object toJson(Object value) {
        Object v = canonical(value);
        if (v instanceof LocalDate || v instanceof LocalDateTime || v instanceof BigDecimal) {
            return v.toString();
        }
        return v;
    }
}
