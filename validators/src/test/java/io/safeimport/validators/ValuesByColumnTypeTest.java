package io.safeimport.validators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rules that type a value by the column it goes into (DESIGN.md §7): multi-line text up to the
 * column's length, whole numbers in its range, decimals at its precision and scale, ISO date-times.
 * Each rejection code each rule can give, and the values just inside every bound.
 */
class ValuesByColumnTypeTest {

    private static String code(String cell, Function<ValuesTest.Row, ?> rule) {
        ValuesTest.Row row = new ValuesTest.Row(cell);
        assertNull(rule.apply(row), "a refused value is not returned");
        assertEquals(1, row.rejections.size(), row.rejections.toString());
        return row.rejections.get(0).split(":")[0].substring(2);
    }

    @Test
    void multiLineTextKeepsLineBreaksAndTabsCountsCharactersAndRefusesOtherControls() {
        assertEquals("one\ntwo\r\nthree\tfour", Values.multiLineText(new ValuesTest.Row("one\ntwo\r\nthree\tfour"), "c", 19));
        assertEquals("\uD83D\uDE00\uD83D\uDE00", Values.multiLineText(new ValuesTest.Row("\uD83D\uDE00\uD83D\uDE00"), "c", 2),
                "two emoji are two characters, as the column counts them");
        assertEquals("too_long", code("abc", r -> Values.multiLineText(r, "c", 2)));
        assertEquals("control_character", code("a\u0007b", r -> Values.multiLineText(r, "c", 10)));
        assertEquals("control_character", code("a\u007fb", r -> Values.multiLineText(r, "c", 10)));
        assertNull(Values.multiLineText(new ValuesTest.Row(null), "c", 10), "a blank cell is no value and no error");
        ValuesTest.Row row = new ValuesTest.Row("abc");
        Values.multiLineText(row, "c", 2);
        assertTrue(row.rejections.get(0).contains("3 characters long; at most 2"), row.rejections.toString());
    }

    @ParameterizedTest(name = "{0} in {1}..{2}")
    @CsvSource({"-128,-128,127", "127,-128,127", "+5,0,10", "0,0,0", "9223372036854775807,-9223372036854775808,9223372036854775807"})
    void wholeNumbersAtTheColumnsBoundsAreTaken(String cell, long min, long max) {
        assertEquals(Long.parseLong(cell.replace("+", "")), Values.whole(new ValuesTest.Row(cell), "c", min, max));
    }

    @Test
    void wholeNumbersOutsideTheRangeOrNotWholeAreRefusedByKind() {
        assertEquals("out_of_range", code("128", r -> Values.whole(r, "c", -128, 127)));
        assertEquals("out_of_range", code("-129", r -> Values.whole(r, "c", -128, 127)));
        assertEquals("out_of_range", code("99999999999999999999", r -> Values.whole(r, "c", 0, Long.MAX_VALUE)),
                "beyond a long is still a whole number, out of range");
        assertEquals("invalid_number", code("1.5", r -> Values.whole(r, "c", 0, 10)));
        assertEquals("invalid_number", code("1,000", r -> Values.whole(r, "c", 0, 10_000)));
        assertEquals("invalid_number", code("ten", r -> Values.whole(r, "c", 0, 10)));
        ValuesTest.Row row = new ValuesTest.Row("300");
        Values.whole(row, "c", 0, 255);
        assertTrue(row.rejections.get(0).contains("expected 0..255"), row.rejections.toString());
    }

    @ParameterizedTest(name = "{0} fits DECIMAL(6,2)")
    @CsvSource({"9999.99", "-9999.99", "0.5", ".5", "12.", "+3", "1.50", "1.500", "0001.10"})
    void decimalsThatFitThePrecisionAndScaleAreTakenExactly(String cell) {
        BigDecimal d = Values.decimal(new ValuesTest.Row(cell), "c", 6, 2);
        assertEquals(0, new BigDecimal(cell.replace("+", "")).compareTo(d), cell);
    }

    @Test
    void decimalsThatDoNotFitAreRefusedNeverRounded() {
        assertEquals("too_many_decimals", code("1.234", r -> Values.decimal(r, "c", 6, 2)));
        assertEquals("too_many_decimals", code("0.5", r -> Values.decimal(r, "c", 8, 0)));
        assertEquals("out_of_range", code("10000", r -> Values.decimal(r, "c", 6, 2)));
        assertEquals("out_of_range", code("-10000.00", r -> Values.decimal(r, "c", 6, 2)));
        assertEquals("invalid_number", code("1,5", r -> Values.decimal(r, "c", 6, 2)));
        assertEquals("invalid_number", code("1e3", r -> Values.decimal(r, "c", 6, 2)));
        assertEquals("invalid_number", code(".", r -> Values.decimal(r, "c", 6, 2)));
        assertEquals(0, new BigDecimal("100").compareTo(Values.decimal(new ValuesTest.Row("100.000"), "c", 3, 0)),
                "trailing zeros are no decimals lost");
    }

    @Test
    void dateTimesAreIsoWithATOrABlankAndRealDays() {
        assertEquals(LocalDateTime.of(2024, 3, 1, 9, 30), Values.dateTime(new ValuesTest.Row("2024-03-01T09:30"), "c"));
        assertEquals(LocalDateTime.of(2024, 3, 1, 9, 30, 5), Values.dateTime(new ValuesTest.Row("2024-03-01 09:30:05"), "c"));
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 500_000_000),
                Values.dateTime(new ValuesTest.Row("2024-02-29T23:59:59.5"), "c"));
        for (String bad : List.of("2023-02-29T10:00", "2024-03-01", "2024-03-01T25:00", "01/03/2024 09:30", "2024-03-01T09:30Z",
                "0000-01-01T00:00", "2024-03-01X09:30")) {
            assertEquals("invalid_datetime", code(bad, r -> Values.dateTime(r, "c")), bad);
        }
    }
}
