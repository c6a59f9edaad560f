package io.safeimport.internal.db;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Rows in the tab-separated text format that MySQL's {@code LOAD DATA} (with {@code ESCAPED BY '\\'})
 * and PostgreSQL's {@code COPY ... FROM STDIN} (its default text format) both read: fields
 * separated by a tab, rows ended by a newline, {@code \N} for NULL, and a backslash escaping every
 * character that could end a field or a row or pass for NULL.
 */
final class TextRows {
    /** A date-time as {@code LOAD DATA} and {@code COPY} both read it: seconds always, fractions only when there are some. */
    private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter();

    private TextRows() {
    }

    /** Appends one row, newline included. */
    static void line(StringBuilder out, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            field(out, row[i]);
        }
        out.append('\n');
    }

    /** Appends one value: {@code \N} for NULL, special characters escaped, booleans as {@code 1} and {@code 0}. */
    static void field(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N");
        } else if (value instanceof Boolean b) {
            out.append(b ? '1' : '0');
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof LocalDateTime t) {
            out.append(DATETIME.format(t)); // yyyy-MM-dd HH:mm:ss[.fraction], which every server reads

        } else if (value instanceof String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\0' -> out.append("\\0");
                    default -> out.append(c);
                }
            }
        } else {
            out.append(value); // Integer, Long, LocalDate (ISO yyyy-MM-dd)
        }
    }
}
