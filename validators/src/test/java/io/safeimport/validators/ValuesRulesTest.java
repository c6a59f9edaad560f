package io.safeimport.validators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.CsvRow;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@link Values} and every rejection code it can produce: what each accepts (and
 * returns, canonical), where its limits are, that a blank cell is {@code null} and never an error
 * unless required, and that a rejection names the column and says what is expected.
 */
class ValuesRulesTest {
    /** One cell under column {@code c} (blank = absent, as the reader trims), recording rejections. */
    private static final class Row {
        private final ValuesTest.Row cell;

        Row(String value) {
            cell = new ValuesTest.Row(value);
        }

        /** The codes of the rejections, each checked to name the cell's column. */
        List<String> codes() {
            List<String> codes = new ArrayList<>();
            for (String r : cell.rejections) {
                assertTrue(r.startsWith("c "), "the rejection names the cell's column: " + r);
                codes.add(r.substring(2, r.indexOf(':')));
            }
            return codes;
        }

        String message(int i) {
            String r = cell.rejections.get(i);
            return r.substring(r.indexOf(": ") + 2);
        }
    }

    private static <T> T accepted(Function<CsvRow, T> rule, String value, T expected) {
        Row row = new Row(value);
        T out = rule.apply(row.cell);
        assertEquals(List.of(), row.codes(), "'" + value + "' is accepted");
        assertEquals(expected, out, "'" + value + "'");
        return out;
    }

    private static String rejected(Function<CsvRow, ?> rule, String value, String code) {
        Row row = new Row(value);
        assertNull(rule.apply(row.cell), "a rejected value is not returned: '" + value + "'");
        assertEquals(List.of(code), row.codes(), "'" + value + "'");
        return row.message(0);
    }

    private static void blankIsNull(Function<CsvRow, ?> rule) {
        Row row = new Row(null);
        assertNull(rule.apply(row.cell));
        assertEquals(List.of(), row.codes(), "a blank cell is no error: blanks never erase, and are not required here");
    }

    @Test
    void textUpToTheColumnsLengthWithoutControlCharacters() {
        Function<CsvRow, String> rule = r -> Values.text(r, "c", 5);
        blankIsNull(rule);
        accepted(rule, "abcde", "abcde");
        accepted(rule, "a\tb", "a\tb");
        accepted(rule, "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", "\uD83D\uDE00".repeat(5));
        String m = rejected(rule, "abcdef", "too_long");
        assertTrue(m.contains("6 characters") && m.contains("at most 5"), m);
        for (String bad : new String[] {"a\nb", "a\rb", "\u0000", "\u001b[31m", "a\u007f", "\u001f"}) {
            String message = rejected(rule, bad, "control_character");
            assertTrue(message.contains("code " + (int) bad.chars().filter(c -> c < 0x20 && c != '\t' || c == 0x7f).findFirst().getAsInt()),
                    message);
        }
        accepted(rule, " \u0020~", " \u0020~");
    }

    @Test
    void requiredTextRejectsBlankAndStillChecksTheLength() {
        Function<CsvRow, String> rule = r -> Values.required(r, "c", 3);
        assertTrue(rejected(rule, null, "required").contains("'c' is required"));
        accepted(rule, "abc", "abc");
        rejected(rule, "abcd", "too_long");
    }

    @Test
    void emailsAreLowerCasedAndMalformedOnesRejected() {
        Function<CsvRow, String> rule = r -> Values.email(r, "c");
        blankIsNull(rule);
        accepted(rule, "Ann.Lee@ACME.example", "ann.lee@acme.example");
        accepted(rule, "a+b@x-y.example.org", "a+b@x-y.example.org");
        for (String bad : new String[] {"ann", "@acme.example", "ann@", "ann@acme", "ann@-acme.example", "ann@acme-.example",
                "an..n@acme.example", "ann@acme..example", "a n@acme.example", "<ann@acme.example>", "ann@acme.exa_mple"}) {
            assertTrue(rejected(rule, bad, "invalid_email").contains("name@domain.tld"), bad);
        }
        accepted(rule, "a@" + "b".repeat(63) + ".example", "a@" + "b".repeat(63) + ".example");
        rejected(rule, "a@" + "b".repeat(64) + ".example", "invalid_email");
        String longest = "a".repeat(65) + "@" + ("b".repeat(60) + ".").repeat(3) + "c".repeat(5);
        assertEquals(254, longest.length());
        accepted(rule, longest, longest);
        rejected(rule, longest + "c", "invalid_email");
    }

    @Test
    void requiredEmailRejectsBlank() {
        Function<CsvRow, String> rule = r -> Values.requiredEmail(r, "c");
        rejected(rule, null, "required");
        accepted(rule, "X@Y.example", "x@y.example");
        rejected(rule, "x", "invalid_email");
    }

    @Test
    void datesAreIsoDaysThatExistWithFourDigitYears() {
        Function<CsvRow, LocalDate> rule = r -> Values.date(r, "c");
        blankIsNull(rule);
        accepted(rule, "2024-02-29", LocalDate.of(2024, 2, 29));
        accepted(rule, "0001-01-01", LocalDate.of(1, 1, 1));
        accepted(rule, "9999-12-31", LocalDate.of(9999, 12, 31));
        accepted(rule, "1500-03-01", LocalDate.of(1500, 3, 1));
        for (String bad : new String[] {"2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "0000-01-01", "24-01-01",
                "2024/01/01", "2024-1-01", "2024-01-1", "20240101", "+2024-01-01", "-0001-06-01", "+10000-01-01", "2024-01-0a",
                "2024-01-01T00:00", "01.02.2024"}) {
            assertTrue(rejected(rule, bad, "invalid_date").contains("YYYY-MM-DD"), bad);
        }
    }

    @Test
    void requiredDateRejectsBlank() {
        Function<CsvRow, LocalDate> rule = r -> Values.requiredDate(r, "c");
        rejected(rule, null, "required");
        accepted(rule, "2020-01-01", LocalDate.of(2020, 1, 1));
        rejected(rule, "2020-02-30", "invalid_date");
    }

    @Test
    void booleansInAnyCase() {
        Function<CsvRow, Boolean> rule = r -> Values.bool(r, "c");
        blankIsNull(rule);
        for (String t : new String[] {"true", "TRUE", "Yes", "1"}) {
            accepted(rule, t, Boolean.TRUE);
        }
        for (String f : new String[] {"false", "No", "NO", "0"}) {
            accepted(rule, f, Boolean.FALSE);
        }
        for (String bad : new String[] {"y", "n", "2", "on", "off", "tru"}) {
            assertTrue(rejected(rule, bad, "invalid_boolean").contains("true/false, yes/no or 1/0"), bad);
        }
    }

    @Test
    void wholeNumbersWithinTheirRange() {
        Function<CsvRow, Integer> rule = r -> Values.integer(r, "c", 1, 10);
        blankIsNull(rule);
        accepted(rule, "1", 1);
        accepted(rule, "10", 10);
        assertTrue(rejected(rule, "0", "out_of_range").contains("expected 1..10"));
        rejected(rule, "11", "out_of_range");
        rejected(rule, "-3", "out_of_range");
        for (String bad : new String[] {"1.5", "one", "1e3", "99999999999"}) {
            assertTrue(rejected(rule, bad, "invalid_number").contains("whole number"), bad);
        }
    }

    @Test
    void amountsHaveAtMostTwelveDigitsAndTwoDecimals() {
        Function<CsvRow, BigDecimal> rule = r -> Values.amount(r, "c");
        blankIsNull(rule);
        accepted(rule, "85000", new BigDecimal("85000"));
        accepted(rule, "0.5", new BigDecimal("0.5"));
        accepted(rule, "999999999999.99", new BigDecimal("999999999999.99"));
        for (String bad : new String[] {"1000000000000", "1.234", "-1", "1,000", "1.", ".5", "12a", "1e3"}) {
            assertTrue(rejected(rule, bad, "invalid_number").contains("up to 2 decimals"), bad);
        }
    }

    @Test
    void oneOfTheAllowedValuesInAnyCase() {
        Function<CsvRow, String> rule = r -> Values.oneOf(r, "c", Set.of("hire", "promotion"));
        blankIsNull(rule);
        accepted(rule, "Hire", "hire");
        assertTrue(rejected(rule, "fired", "invalid_value").contains("expected one of hire, promotion"));
    }

    @Test
    void currenciesAreThreeLettersUpperCased() {
        Function<CsvRow, String> rule = r -> Values.currency(r, "c");
        blankIsNull(rule);
        accepted(rule, "eur", "EUR");
        for (String bad : new String[] {"EU", "EURO", "E1R", "€"}) {
            assertTrue(rejected(rule, bad, "invalid_currency").contains("three letters"), bad);
        }
    }
}
