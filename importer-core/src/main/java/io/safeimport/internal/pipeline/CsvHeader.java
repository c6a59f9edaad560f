package io.safeimport.internal.pipeline;

import io.safeimport.api.CsvFormat;
import io.safeimport.api.ImportError;
import io.safeimport.internal.io.Printable;
import io.safeimport.spi.CsvColumn;
import io.safeimport.spi.CsvLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The checks of a CSV file's header line against the importer's layout: the wrong delimiter,
 * a line that is no header at all, blank, duplicate, unknown (with the nearest known name) and
 * missing columns. Apart from {@link CsvFile}, which reads the records, because every message
 * about the header is here.
 */
final class CsvHeader {
    private CsvHeader() {
    }

    /** The separators a header is tried with when it does not read with the one given. */
    private static final char[] OTHER_DELIMITERS = {',', ';', '\t', '|'};

    /**
     * Whether the header reads with the file's delimiter; if another one splits it into more of
     * the layout's columns (a semicolon-separated export read as comma-separated shows as one
     * unknown column {@code email;first_name;...}), that is the one error reported, naming the
     * option that reads the file.
     */
    static boolean checkDelimiter(String display, long line, List<String> header, CsvLayout layout, CsvFormat format,
                                  Consumer<ImportError> errors) {
        List<String> allowed = layout.columns().stream().map(CsvColumn::name).toList();
        long known = header.stream().filter(allowed::contains).count();
        for (char d : OTHER_DELIMITERS) {
            if (d == format.delimiter()) {
                continue;
            }
            long split = header.stream().flatMap(h -> Arrays.stream(h.split(Pattern.quote(String.valueOf(d)), -1)))
                    .map(CsvFile::trim).filter(allowed::contains).count();
            if (split >= 2 && split > known) {
                CsvFormat other = new CsvFormat(d, format.encoding());
                String name = switch (d) {
                    case ',' -> "comma";
                    case ';' -> "semicolon";
                    case '\t' -> "tab";
                    default -> "'" + d + "'";
                };
                errors.accept(new ImportError(display, line, null, "wrong_delimiter", "the file looks " + (d == '\t' ? "tab" : "'" + d + "'")
                        + "-separated (" + name + "s between the column names), not " + format.delimiterOption() + "-separated;"
                        + " pass --delimiter " + other.delimiterOption() + (d == ',' ? " (or leave out --delimiter)" : "")
                        + " to read it as it is"));
                return false;
            }
        }
        return true;
    }

    /** Whether the header names the layout's columns; each problem with it is reported to {@code errors}. */
    static boolean checkHeader(String display, long line, List<String> header, CsvLayout layout,
                               boolean ignoreUnknown, Consumer<ImportError> errors) {
        boolean ok = true;
        List<String> allowed = layout.columns().stream().map(CsvColumn::name).toList();
        if (!ignoreUnknown && !header.isEmpty() && header.stream().noneMatch(allowed::contains)) {
            // not a header at all: --csv may name the wrong file, even a private one (a symlink to a
            // key or password file), so its first line is not repeated, only the start of its first cell
            String first = header.get(0);
            String start = first.length() < 2 ? "" : " (it starts '"
                    + Printable.prefix(first, Math.min(10, first.length() / 2)) + "')";
            errors.accept(new ImportError(display, line, null, "unknown_column", "line " + line + " is not a " + layout.kind()
                    + " header: none of its " + header.size() + " cell" + (header.size() == 1 ? " is a column" : "s are columns")
                    + " of this file kind" + start + "; the " + layout.kind() + " columns are " + String.join(", ", allowed)
                    + ". Check that --csv names the right file"));
            return false;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i);
            if (h.isEmpty()) {
                errors.accept(new ImportError(display, line, "#" + (i + 1), "blank_header",
                        "column " + (i + 1) + " of the header has no name; name it or remove the column"));
                ok = false;
                continue;
            }
            // a header cell is quoted short and escaped: the line may not be a header at all
            String quoted = Printable.quote(h);
            if (seen.put(h, i) != null) {
                errors.accept(new ImportError(display, line, quoted, "duplicate_header",
                        "the header names '" + quoted + "' twice; remove one of the columns"));
                ok = false;
            }
            if (!allowed.contains(h) && !ignoreUnknown) {
                String near = nearest(h, allowed);
                errors.accept(new ImportError(display, line, quoted, "unknown_column",
                        "unknown column '" + quoted + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
                                + "; the " + layout.kind() + " columns are " + String.join(", ", allowed)
                                + " (use --ignore-unknown-columns to skip extra columns)"));
                ok = false;
            }
        }
        for (CsvColumn c : layout.columns()) {
            if (c.required() && !seen.containsKey(c.name())) {
                errors.accept(new ImportError(display, line, c.name(), "missing_column",
                        "required column '" + c.name() + "' is missing from the header"));
                ok = false;
            }
        }
        return ok;
    }

    /** The allowed name within edit distance 2 of a misspelt one, if any. */
    static String nearest(String name, List<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String a : allowed) {
            int d = distance(name.replace(' ', '_').replace('-', '_'), a);
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
