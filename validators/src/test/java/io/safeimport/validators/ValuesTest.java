package io.safeimport.validators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written email scan must accept exactly what the documented regular expression accepts. */
class ValuesTest {
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
        org.junit.jupiter.api.Assertions.assertTrue(accepted > 100, "the sample must hold valid addresses too: " + accepted);
    }
}
