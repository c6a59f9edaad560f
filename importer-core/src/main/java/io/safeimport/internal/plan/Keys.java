package io.safeimport.internal.plan;

import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Natural keys as comparable text. Keys match case- and blank-insensitively: {@code " Payments  Team"}
 * and {@code "payments team"} are the same team. A key that contains a reference is spelled with the
 * referenced row's own natural key, never with an id, so rows that exist only in the file (not yet in
 * the database) have keys too.
 */
public final class Keys {
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private Keys() {
    }

    /** One key part, normalised: text trimmed, inner blanks collapsed, lower-cased. */
    public static String part(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Ref r) {
            return of(r);
        }
        String s = value.toString().strip();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i)) && (s.charAt(i) != ' ' || i + 1 < s.length() && Character.isWhitespace(s.charAt(i + 1)))) {
                s = BLANKS.matcher(s).replaceAll(" ");
                break;
            }
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** The key of the row a reference points at: {@code ladder_level(ladder(eng)|3)}. */
    public static String of(Ref ref) {
        return of(ref.table(), ref.key());
    }

    /** The key of a row of {@code table} given its key parts in {@link TableSpec#key()} order. */
    public static String of(String table, List<Object> parts) {
        // sized for a typical key (an e-mail, a name, a nested reference) so it is not regrown part by part
        StringBuilder sb = new StringBuilder(table.length() + 64).append(table).append('(');
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sb.append('|');
            }
            Object p = parts.get(i);
            if (p instanceof Ref r) {
                sb.append(of(r));
            } else {
                escaped(sb, part(p));
            }
        }
        return sb.append(')').toString();
    }

    /** Characters that give a key its structure: in a value they are escaped, so that no two keys read alike. */
    private static final String STRUCTURE = "\\|()";

    /**
     * Appends a value part with a backslash before each {@link #STRUCTURE} character, so that a
     * value's own {@code |} or parentheses are never read as a separator or a nested key (ladder
     * {@code a} with aspect {@code b)|c} and ladder {@code a)|b} with aspect {@code c} are two keys).
     */
    private static void escaped(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (STRUCTURE.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
    }

    /** The key of a target row, from its key map. */
    public static String of(TableSpec spec, Map<String, Object> key) {
        Object[] parts = new Object[spec.key().size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = key.get(spec.key().get(i));
        }
        return of(spec.name(), Arrays.asList(parts));
    }

    /** A 64-bit fingerprint of a key (for the compact key sets that keep memory flat); never 0. */
    public static long hash(String key) {
        // FNV-1a 64 over UTF-16 units, then a murmur3 finaliser for spread.
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
