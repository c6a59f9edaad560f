package io.safeimport.internal.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One importer declared in {@code safeimport.yml}: {@code import NAME --csv F} loads a CSV file
 * into an existing {@code table}, matching rows on {@code key}.
 *
 * @param name      the command name ({@code [a-z][a-z0-9_]*}, not a built-in's)
 * @param table     the existing table it writes
 * @param key       CSV columns (lower-case) whose table columns identify a row
 * @param columns   CSV header (lower-case, trimmed) → where its values go, in file order
 * @param checks    integrity checks run after the import, as the built-in ones are
 * @param line      the 1-based line of the importer's name
 * @param tableLine the line of {@code table:}
 * @param keyLine   the line of {@code key:}
 */
public record DeclaredImporter(String name, String table, List<String> key, Map<String, ColumnMapping> columns,
                               List<DeclaredCheck> checks, int line, int tableLine, int keyLine) {
    public DeclaredImporter {
        key = List.copyOf(key);
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        checks = List.copyOf(checks);
    }
}
