package io.safeimport.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {
    private static final String ESC = String.valueOf((char) 0x1b);
    private static final String BEL = String.valueOf((char) 0x07);

    @Test
    void terminalSequencesAndLineBreaksBecomeVisibleEscapes() {
        assertEquals("\\e]0;pwned\\u0007 \\e[31mred", Printable.escape(ESC + "]0;pwned" + BEL + " " + ESC + "[31mred"));
        assertEquals("a\\nCommitted. Snapshot x\\r\\t", Printable.escape("a\nCommitted. Snapshot x\r\t"));
        assertEquals("\\u007f\\u0085\\u009b", Printable.escape("\u007f\u0085\u009b"));
        assertEquals("\\u202egnp.exe\\u2066\\u2069\\u2028", Printable.escape("\u202egnp.exe\u2066\u2069\u2028"));
    }

    @Test
    void plainTextIsReturnedAsItIsAndEscapingTwiceChangesNothing() {
        String plain = "Zoë Çelik <zoe@acme.example> C:\\temp 日本";
        assertSame(plain, Printable.escape(plain));
        String once = Printable.escape("x" + ESC + "[2J\n");
        assertEquals(once, Printable.escape(once));
    }

    @Test
    void prefixShowsAtMostTheFirstCharactersEscaped() {
        String line = "root:$6$Secret0123456789abcdefghijklmnopqrstuvwxyz:19000:0:99999:7:::";
        String p = Printable.quote(line);
        assertEquals(line.substring(0, Printable.QUOTED) + "…", p);
        assertEquals("short\\e", Printable.quote("short" + ESC));
        assertEquals("a…", Printable.prefix("a😀", 2), "never half a surrogate pair");
    }
}
