package io.safeimport.validators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.CsvRow;
import java.time.LocalDate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The pre-row rules; among them, the hand-written email scan must accept exactly what the documented regular expression accepts. */
class ValuesTest {
    /** One cell under column {@code c}, recording what the rules reject ({@code "c code: message"}). */
    static final class Row implements CsvRow {
        final String value;
        final List<String> rejections = new ArrayList<>();

        Row(String value) {
            this.value = value;
        }

        @Override
        public String file() {
            return "f.csv";
        }

        @Override
        public long line() {
            return 2;
        }

        @Override
        public boolean has(String column) {
            return "c".equals(column);
        }

        @Override
        public String get(String column) {
            return "c".equals(column) ? value : null;
        }

        @Override
        public void reject(String column, String code, String message) {
            rejections.add(column + " " + code + ": " + message);
        }

        @Override
        public boolean rejected() {
            return !rejections.isEmpty();
        }
    }

    @Test
    void datesOutsideFourDigitYearsAreRejectedSayingWhatIsAllowed() {
        for (String bad : List.of("+10000-01-01", "-0001-06-01", "+2024-01-01", "0000-06-01", "10000-01-01", "2023-02-30", "2023-2-3",
                "2023-02-03T00:00", "２０２３-01-01")) {
            Row row = new Row(bad);
            assertNull(Values.date(row, "c"), bad);
            assertEquals(1, row.rejections.size(), bad);
            assertTrue(row.rejections.get(0).startsWith("c invalid_date: '" + bad + "' is not a date"), row.rejections.get(0));
            assertTrue(row.rejections.get(0).contains("a year from 0001 to 9999"), row.rejections.get(0));
        }
        for (String good : List.of("0001-01-01", "1500-03-01", "1582-10-10", "2024-02-29", "9999-12-31")) {
            Row row = new Row(good);
            assertEquals(LocalDate.parse(good), Values.date(row, "c"), good);
            assertEquals(List.of(), row.rejections, good);
        }
    }

    @Test
    void textLengthCountsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00";
        Row fits = new Row(emoji.repeat(150));
        assertEquals(emoji.repeat(150), Values.text(fits, "c", 200));
        assertEquals(List.of(), fits.rejections);

        Row tooLong = new Row(emoji.repeat(201));
        assertNull(Values.text(tooLong, "c", 200));
        assertEquals(List.of("c too_long: the value is 201 characters long; at most 200 fit in this column: shorten it"),
                tooLong.rejections);

        Row exact = new Row("x".repeat(100));
        assertEquals("x".repeat(100), Values.text(exact, "c", 100));
        Row over = new Row("x".repeat(101));
        assertNull(Values.text(over, "c", 100));
        assertEquals(1, over.rejections.size());
    }

    @Test
    void requiredTextHasTheColumnsLimitToo() {
        Row row = new Row("L".repeat(150));
        assertNull(Values.required(row, "c", 100));
        assertEquals(List.of("c too_long: the value is 150 characters long; at most 100 fit in this column: shorten it"), row.rejections);
        Row blank = new Row(null);
        assertNull(Values.required(blank, "c", 100));
        assertEquals(List.of("c required: 'c' is required and is blank"), blank.rejections);
    }

    /** The rule as a regular expression, the form it is documented in. */
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private static boolean oracle(String v) {
        return v.length() <= 254 && EMAIL.matcher(v).matches() && !v.contains("..");
    }

    @Test
    void emailScanAgreesWithTheRegularExpressionOnKnownCases() {
        List<String> cases = List.of("ana@example.com", "Ana.Lopez@Example.COM", "a@b.c", "a@b", "@b.co", "a@@b.co", "a@b..co",
                "a..b@c.co", ".a@b.co", "a.@b.co", "a@-b.co", "a@b-.co", "a@b.c-o", "a@b.co.", "a@.b.co", "a b@c.co", "a@b c.co",
                "josé@example.com", "a@exämple.com", "o'brien+tag@mail.example.org", "x@" + "a".repeat(63) + ".com",
                "x@" + "a".repeat(64) + ".com", "a".repeat(240) + "@example.com", "a".repeat(250) + "@example.com",
                "a@1.2", "a@b.c_o", "a@b.c\u00a0", "{}|~@x.io", "a@b.c.d.e.f", "a@b.c@d.e");
        for (String c : cases) {
            assertEquals(oracle(c), Values.isEmail(c), c);
        }
    }

    /** The first and last character of each range the scan accepts, in the local part and at both ends of a domain label. */
    @Test
    void emailScanAcceptsTheEdgesOfEveryCharacterRange() {
        for (char c : "aAzZ09".toCharArray()) {
            String v = c + "@" + c + "x" + c + "." + c + c;
            assertTrue(Values.isEmail(v), v);
            assertEquals(oracle(v), Values.isEmail(v), v);
        }
        for (char c : "!#$%&'*+/=?^_`{|}~.-".toCharArray()) {
            String v = "a" + c + "b@x.io";
            assertEquals(oracle(v), Values.isEmail(v), v);
        }
        assertTrue(Values.isEmail("!x@x.io"), "the first of the extra local characters");
        for (char c : "`{[@/:".toCharArray()) {
            assertEquals(false, Values.isEmail("a@" + c + "x.io"), "domain starting with " + c);
        }
    }

    @Test
    void emailScanAgreesWithTheRegularExpressionOnRandomStrings() {
        Random random = new Random(20261122);
        String alphabet = "ab1.-@@_+'é Z..";
        List<String> disagree = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + random.nextInt(12);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String v = sb.toString();
            accepted += oracle(v) ? 1 : 0;
            if (oracle(v) != Values.isEmail(v)) {
                if (disagree.size() < 20) {
                    disagree.add(v);
                }
            }
        }
        assertEquals(List.of(), disagree);
        Assertions.assertTrue(accepted > 100, "the sample must hold valid addresses too: " + accepted);
    }
}
