package io.safeimport.validators;

import io.safeimport.spi.CsvRow;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Pre-row rules: each reads one cell of a {@link CsvRow}, returns the typed value, and on bad input
 * rejects the row with a stable code and a sentence saying what is wrong and what is expected.
 * A blank cell returns {@code null} (unless the column is required): blanks never erase.
 * Pure functions, no database; safe to call from any thread with its own row.
 */
public final class Values {
    /** The first year a date may have: year 0 (1 BC) is not stored the same everywhere. */
    public static final int MIN_YEAR = 1;
    /** The last year a date may have: four digits, no sign. */
    public static final int MAX_YEAR = 9999;
    private static final Set<String> TRUE = Set.of("true", "yes", "1");
    private static final Set<String> FALSE = Set.of("false", "no", "0");
    private static final Pattern AMOUNT = Pattern.compile("\\d{1,12}(\\.\\d{1,2})?");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Za-z]{3}$");
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    private Values() {
    }

    /**
     * Trimmed text, or {@code null} when blank; rejects text longer than {@code max} characters ({@code too_long}) or with
     * control characters. Characters are Unicode code points, as a database column counts them: an emoji is one character,
     * though Java holds it in two {@code char}s. {@code max} is the length of the column the value goes to
     * ({@link io.safeimport.spi.ReferenceSchema#length}).
     */
    public static String text(CsvRow row, String column, int max) {
        return checkedText(row, column, max, false);
    }

    /** Like {@link #text(CsvRow, String, int)} but a blank or missing cell rejects the row ({@code required}). */
    public static String required(CsvRow row, String column, int max) {
        if (row.get(column) == null) {
            row.reject(column, "required", "'" + column + "' is required and is blank");
            return null;
        }
        return text(row, column, max);
    }

    /** An email address, trimmed and lower-cased; rejects malformed addresses ({@code invalid_email}). */
    public static String email(CsvRow row, String column) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        if (!isEmail(v)) {
            row.reject(column, "invalid_email", "'" + v + "' is not an email address (expected name@domain.tld)");
            return null;
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether {@code v} is an address matching
     * {@code ^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$},
     * at most 254 characters and without {@code ".."}. A scan rather than the regular expression: this runs for every cell
     * of every email column and the backtracking matcher was a tenth of a million-row plan's CPU.
     * {@code ValuesTest} checks the two agree.
     */
    static boolean isEmail(String v) {
        int n = v.length();
        if (n > 254) {
            return false;
        }
        int at = v.indexOf('@');
        if (at <= 0) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            char c = v.charAt(i);
            if (!(asciiAlnum(c) || LOCAL_EXTRA.indexOf(c) >= 0)) {
                return false;
            }
            if (c == '.' && i > 0 && v.charAt(i - 1) == '.') {
                return false;
            }
        }
        // domain: two or more labels of 1-63 letters, digits and hyphens, each starting and ending with a letter or digit
        int labels = 0;
        int start = at + 1;
        while (true) {
            int end = v.indexOf('.', start);
            int stop = end < 0 ? n : end;
            int len = stop - start;
            if (len < 1 || len > 63 || !asciiAlnum(v.charAt(start)) || !asciiAlnum(v.charAt(stop - 1))) {
                return false;
            }
            for (int i = start + 1; i < stop - 1; i++) {
                char c = v.charAt(i);
                if (!(asciiAlnum(c) || c == '-')) {
                    return false;
                }
            }
            labels++;
            if (end < 0) {
                return labels >= 2;
            }
            start = end + 1;
        }
    }

    private static final String LOCAL_EXTRA = "!#$%&'*+/=?^_`{|}~.-";

    private static boolean asciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** A required email ({@code required} when blank). */
    public static String requiredEmail(CsvRow row, String column) {
        if (row.get(column) == null) {
            row.reject(column, "required", "'" + column + "' is required and is blank");
            return null;
        }
        return email(row, column);
    }

    /**
     * An ISO date {@code YYYY-MM-DD} that exists in the calendar, of a year from {@value #MIN_YEAR} to {@value #MAX_YEAR}
     * ({@code invalid_date} otherwise, e.g. 2023-02-30, +10000-01-01 or -0001-06-01). Every supported database stores
     * that range exactly; a sign or a fifth year digit would plan a value that the database refuses or alters.
     */
    public static LocalDate date(CsvRow row, String column) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        if (isDateShape(v)) {
            int year = digits(v, 0, 4);
            try {
                // LocalDate.of refuses days that do not exist (2023-02-30)
                LocalDate d = LocalDate.of(year, digits(v, 5, 7), digits(v, 8, 10));
                if (year >= MIN_YEAR) {
                    return d;
                }
            } catch (DateTimeException e) {
                // reported below
            }
        }
        row.reject(column, "invalid_date", "'" + v + "' is not a date: use YYYY-MM-DD (ISO 8601) with a year from 0001 to 9999"
                + " and a day that exists");
        return null;
    }

    /** {@code dddd-dd-dd}. */
    private static boolean isDateShape(String v) {
        if (v.length() != 10 || v.charAt(4) != '-' || v.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            char c = v.charAt(i);
            if (i != 4 && i != 7 && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static int digits(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (v.charAt(i) - '0');
        }
        return n;
    }

    /** A required date. */
    public static LocalDate requiredDate(CsvRow row, String column) {
        if (row.get(column) == null) {
            row.reject(column, "required", "'" + column + "' is required and is blank");
            return null;
        }
        return date(row, column);
    }

    /** {@code true/false/yes/no/1/0} in any case ({@code invalid_boolean} otherwise). */
    public static Boolean bool(CsvRow row, String column) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        String s = v.toLowerCase(Locale.ROOT);
        if (TRUE.contains(s)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(s)) {
            return Boolean.FALSE;
        }
        row.reject(column, "invalid_boolean", "'" + v + "' is not a boolean: use true/false, yes/no or 1/0");
        return null;
    }

    /** A whole number between {@code min} and {@code max} ({@code invalid_number} otherwise). */
    public static Integer integer(CsvRow row, String column, int min, int max) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                row.reject(column, "out_of_range", "'" + v + "' is out of range: expected " + min + ".." + max);
                return null;
            }
            return n;
        } catch (NumberFormatException e) {
            row.reject(column, "invalid_number", "'" + v + "' is not a whole number");
            return null;
        }
    }

    /**
     * A non-negative amount with at most 2 decimals and 12 integer digits, dot as the decimal separator
     * ({@code invalid_number} otherwise; thousands separators are refused rather than guessed).
     */
    public static BigDecimal amount(CsvRow row, String column) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        if (!AMOUNT.matcher(v).matches()) {
            row.reject(column, "invalid_number", "'" + v + "' is not an amount: use digits with an optional dot and up to 2 decimals, e.g. 85000.00");
            return null;
        }
        return new BigDecimal(v);
    }

    /** One of the allowed values, compared case-insensitively; returns the canonical lower-case form. */
    public static String oneOf(CsvRow row, String column, Set<String> allowed) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        String s = v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(s)) {
            row.reject(column, "invalid_value", "'" + v + "' is not allowed here: expected one of "
                    + String.join(", ", new TreeSet<>(allowed)));
            return null;
        }
        return s;
    }

    /** An ISO 4217-style currency code, three letters, returned upper-case ({@code invalid_currency}). */
    public static String currency(CsvRow row, String column) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        if (!CURRENCY.matcher(v).matches()) {
            row.reject(column, "invalid_currency", "'" + v + "' is not a currency code: use three letters such as EUR or USD");
            return null;
        }
        return v.toUpperCase(Locale.ROOT);
    }

    /**
     * Trimmed text for a column that holds text of any shape (a description, a biography): like
     * {@link #text(CsvRow, String, int)}, but line breaks and tabs inside the value are kept as they
     * are: a quoted multi-line cell is one value. Other control characters are still refused.
     */
    public static String multiLineText(CsvRow row, String column, int max) {
        return checkedText(row, column, max, true);
    }

    /** The cell's text when it fits {@code max} characters and holds no control character ({@code lineBreaks}: but line breaks). */
    private static String checkedText(CsvRow row, String column, int max, boolean lineBreaks) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        // at most max chars is at most max code points: count only when it can matter
        int length = v.length() > max ? v.codePointCount(0, v.length()) : v.length();
        if (length > max) {
            row.reject(column, "too_long", "the value is " + length + " characters long; at most " + max
                    + " fit in this column: shorten it");
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 && c != '\t' && !(lineBreaks && (c == '\n' || c == '\r')) || c == 0x7f) {
                row.reject(column, "control_character", "the value contains a control character (code " + (int) c
                        + (lineBreaks ? "); remove it from this cell" : "); remove line breaks and other control characters from this cell"));
                return null;
            }
        }
        return v;
    }

    /** A whole number between {@code min} and {@code max}, the range of the column it goes to ({@code out_of_range}, {@code invalid_number}). */
    public static Long whole(CsvRow row, String column, long min, long max) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            if (WHOLE.matcher(v).matches()) {
                row.reject(column, "out_of_range", "'" + v + "' is out of range: expected " + min + ".." + max);
            } else {
                row.reject(column, "invalid_number", "'" + v + "' is not a whole number (digits with an optional sign, no separators)");
            }
            return null;
        }
        if (n < min || n > max) {
            row.reject(column, "out_of_range", "'" + v + "' is out of range: expected " + min + ".." + max);
            return null;
        }
        return n;
    }

    /**
     * A decimal number that fits a {@code DECIMAL(precision, scale)} column exactly: at most
     * {@code precision - scale} digits before the dot and {@code scale} after it. A value with more
     * decimals is refused, not rounded ({@code too_many_decimals}); dot as the decimal separator,
     * no thousands separators ({@code invalid_number}); too large is {@code out_of_range}.
     */
    public static BigDecimal decimal(CsvRow row, String column, int precision, int scale) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        if (!DECIMAL.matcher(v).matches()) {
            row.reject(column, "invalid_number", "'" + v + "' is not a number: use digits with an optional sign and dot, e.g. 1234.50");
            return null;
        }
        BigDecimal d = new BigDecimal(v.startsWith("+") ? v.substring(1) : v);
        BigDecimal exact = d.stripTrailingZeros();
        if (exact.scale() > scale) {
            row.reject(column, "too_many_decimals", "'" + v + "' has more than " + scale + " decimal(s), which this column would round away;"
                    + " give at most " + scale);
            return null;
        }
        if (exact.precision() - exact.scale() > precision - scale) {
            row.reject(column, "out_of_range", "'" + v + "' is too large: this column holds at most " + (precision - scale)
                    + " digit(s) before the decimal point");
            return null;
        }
        return d;
    }

    /**
     * An ISO 8601 date and time without a zone, {@code YYYY-MM-DDTHH:MM[:SS[.fraction]]} (a blank instead of the {@code T} is
     * accepted too), year 0001 to 9999 ({@code invalid_datetime}).
     */
    public static LocalDateTime dateTime(CsvRow row, String column) {
        String v = row.get(column);
        if (v == null) {
            return null;
        }
        if (v.length() >= 16 && isDateShape(v.substring(0, 10)) && (v.charAt(10) == 'T' || v.charAt(10) == ' ')) {
            try {
                LocalDateTime t = LocalDateTime.parse(v.substring(0, 10) + 'T' + v.substring(11));
                if (t.getYear() >= MIN_YEAR) {
                    return t;
                }
            } catch (DateTimeException e) {
                // reported below
            }
        }
        row.reject(column, "invalid_datetime", "'" + v + "' is not a date and time: use YYYY-MM-DDTHH:MM:SS (ISO 8601, no zone),"
                + " e.g. 2024-03-01T09:30:00");
        return null;
    }
}
