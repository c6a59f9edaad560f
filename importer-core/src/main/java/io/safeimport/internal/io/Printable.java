package io.safeimport.internal.io;

/**
 * Text from outside (CSV values and header names, file paths, stored rows) made safe to show on a
 * terminal or to write into a line-oriented log: every character that could move the cursor,
 * start a line, change colours or the window title (ESC/OSC sequences), or reorder what is shown
 * (bidi overrides) is replaced by a visible escape, so one message stays one line and reads the
 * same everywhere: a forged {@code Committed. Snapshot ...} line cannot be made from a file name.
 *
 * <p>Replaced: line breaks ({@code \n}, {@code \r}, U+2028, U+2029), tab ({@code \t}), ESC
 * ({@code \e}), every other C0 control, DEL and the C1 controls (as a backslash, {@code u} and
 * four hex digits), and the bidi controls U+061C, U+200E, U+200F, U+202A–U+202E and
 * U+2066–U+2069. A backslash is left as it is, so escaping is idempotent: text escaped once and
 * passed through another layer that escapes again is unchanged.
 */
public final class Printable {
    /** How many characters of a value {@link #quote} shows at most. */
    public static final int QUOTED = 40;

    private Printable() {
    }

    /** The text with every control, line break and bidi control escaped; {@code null} stays {@code null}. */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        int n = s.length();
        while (i < n && !unsafe(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!unsafe(c)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x1b -> sb.append("\\e");
                default -> sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    /** {@link #escape} of the text's string form ({@code "null"} for {@code null}). */
    public static String escape(Object o) {
        return escape(String.valueOf(o));
    }

    /**
     * At most the first {@code max} characters of the text, escaped, with {@code …} when cut: for
     * quoting something that may not be what it should be (the first line of a file that is not a
     * CSV file may be someone's password), so that an error never repeats a whole line of it.
     */
    public static String prefix(String s, int max) {
        if (s == null) {
            return null;
        }
        if (s.length() <= max) {
            return escape(s);
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return escape(s.substring(0, end)) + "…";
    }

    /** {@link #prefix} of at most {@link #QUOTED} characters. */
    public static String quote(String s) {
        return prefix(s, QUOTED);
    }

    /** Whether the character is replaced by {@link #escape}. */
    static boolean unsafe(char c) {
        if (c < 0x20 || c == 0x7f) {
            return true;
        }
        if (c < 0x80) {
            return false;
        }
        return c <= 0x9f || c == 0x061c || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029
                || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
    }
}
