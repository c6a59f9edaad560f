package io.safeimport.internal.plan;

import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Natural keys as comparable text. Keys match case- and blank-insensitively: {@code " Payments  Team"}
 * and {@code "payments team"} are the same team. A key that contains a reference is spelled with the
 * referenced row's own natural key, never with an id, so rows that exist only in the file (not yet in
 * the database) have keys too.
 */
public final class Keys {
    private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");

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
            sb.append(part(parts.get(i)));
        }
        return sb.append(')').toString();
    }

    /** The key of a target row, from its key map. */
    public static String of(String table, Map<String, Object> key) {
        TableSpec spec = ReferenceSchema.table(table);
        Object[] parts = new Object[spec.key().size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = key.get(spec.key().get(i));
        }
        return of(table, java.util.Arrays.asList(parts));
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
