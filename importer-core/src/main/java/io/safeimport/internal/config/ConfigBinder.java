package io.safeimport.internal.config;

import io.safeimport.internal.config.YamlNode.Entry;
import io.safeimport.internal.config.YamlNode.Mapping;
import io.safeimport.internal.config.YamlNode.Scalar;
import io.safeimport.internal.config.YamlNode.Sequence;
import io.safeimport.spi.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the YAML tree of {@code safeimport.yml} into a {@link SafeImportConfig}, adding every
 * problem of shape it finds (unknown keys, wrong kinds of value, bad names) to {@link Problems}
 * instead of stopping at the first. What it returns is meaningful only when no problem was added.
 */
final class ConfigBinder {
    /** The built-in importers' names, and {@code all}: a declared importer cannot take them. */
    static final Set<String> BUILT_INS = Set.of("users", "org", "ladders", "history", "all");
    private static final Pattern IMPORTER_NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final List<String> TOP_KEYS = List.of("importers", "order");
    private static final List<String> IMPORTER_KEYS = List.of("table", "key", "columns", "checks");
    private static final List<String> COLUMN_KEYS = List.of("column", "ref", "format", "required");
    private static final List<String> CHECK_KEYS = List.of("code", "severity", "sql");

    private final Path file;
    private final Problems problems;

    ConfigBinder(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    SafeImportConfig bind(YamlNode root) {
        Map<String, DeclaredImporter> importers = new LinkedHashMap<>();
        if (root == null) {
            problems.add(1, 1, "the file is empty: declare importers under 'importers:' (DESIGN.md §7)");
            return new SafeImportConfig(file, importers, List.of(), 0);
        }
        Mapping top = asMapping(root, "the file");
        if (top == null) {
            return new SafeImportConfig(file, importers, List.of(), 0);
        }
        unknownKeys(top, TOP_KEYS, "at the top level");
        Entry declared = top.entries().get("importers");
        if (declared == null) {
            problems.add(top, "no 'importers:' here: declare at least one importer under 'importers:'");
        } else {
            Mapping m = asMapping(declared.value(), "importers");
            if (m != null) {
                m.entries().values().forEach(e -> importers.put(e.key(), importer(e)));
            }
        }
        Entry order = top.entries().get("order");
        List<String> names = order == null ? List.of() : order(order, importers);
        return new SafeImportConfig(file, importers, names, order == null ? 0 : order.line());
    }

    private DeclaredImporter importer(Entry e) {
        String name = e.key();
        if (!IMPORTER_NAME.matcher(name).matches()) {
            problems.add(e, "importer name '" + name + "' must be lower-case letters, digits and _, starting with a letter, at most 40"
                    + " characters (it is part of every snapshot ID)");
        } else if (BUILT_INS.contains(name)) {
            problems.add(e, "importer name '" + name + "' is taken by the built-in importers (" + String.join(", ", BUILT_INS.stream()
                    .sorted().toList()) + "): choose another name");
        }
        String what = "importer " + name;
        Mapping m = asMapping(e.value(), what);
        if (m == null) {
            return new DeclaredImporter(name, null, List.of(), Map.of(), List.of(), e.line(), e.line(), e.line());
        }
        unknownKeys(m, IMPORTER_KEYS, "in " + what);
        Entry table = required(m, e, "table", what);
        Entry key = required(m, e, "key", what);
        Entry columns = required(m, e, "columns", what);
        Entry checks = m.entries().get("checks");
        return new DeclaredImporter(name, table == null ? null : identifier(table, what + ": table"),
                key == null ? List.of() : key(key, what), columns == null ? Map.of() : columns(columns, what),
                checks == null ? List.of() : checks(checks, what), e.line(), table == null ? e.line() : table.line(),
                key == null ? e.line() : key.line());
    }

    private List<String> key(Entry key, String what) {
        List<String> names = new ArrayList<>();
        if (!(key.value() instanceof Sequence s)) {
            problems.add(key.value(), what + ": key must be a list of CSV columns, e.g. key: [email], not " + key.value().describe());
            return names;
        }
        if (s.items().isEmpty()) {
            problems.add(key.value(), what + ": key is empty: name the CSV columns that identify a row, e.g. key: [email]");
        }
        for (YamlNode item : s.items()) {
            String name = text(item, what + ": a key entry");
            if (name != null) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private Map<String, ColumnMapping> columns(Entry columns, String what) {
        Map<String, ColumnMapping> mappings = new LinkedHashMap<>();
        Mapping m = asMapping(columns.value(), what + ": columns");
        if (m == null) {
            return mappings;
        }
        for (Entry e : m.entries().values()) {
            String csv = e.key().trim().toLowerCase(Locale.ROOT);
            ColumnMapping mapping = column(e, csv, what);
            if (csv.isEmpty()) {
                problems.add(e, what + ": a CSV column name is empty");
            } else if (mappings.containsKey(csv)) {
                problems.add(e, what + ": CSV column '" + csv + "' is given twice (also on line " + mappings.get(csv).line()
                        + "; headers are compared ignoring case): give it once");
            } else {
                mappings.put(csv, mapping);
            }
        }
        return mappings;
    }

    private ColumnMapping column(Entry e, String csv, String what) {
        String where = what + ": CSV column '" + csv + "'";
        if (e.value() instanceof Scalar s && s.text() != null && !s.bool()) {
            return new ColumnMapping(csv, identifier(e, where), null, null, null, false, e.line());
        }
        if (!(e.value() instanceof Mapping m)) {
            problems.add(e.value(), where + " must be a table column name or a mapping with column: (and ref:, format:, required:),"
                    + " not " + e.value().describe());
            return new ColumnMapping(csv, null, null, null, null, false, e.line());
        }
        unknownKeys(m, COLUMN_KEYS, "in " + where);
        Entry column = required(m, e, "column", where);
        String[] ref = ref(m.entries().get("ref"), where);
        Entry format = m.entries().get("format");
        String fmt = format == null ? null : text(format.value(), where + ": format");
        if (fmt != null && !fmt.equals("email")) {
            problems.add(format.value(), where + ": format '" + fmt + "' is not known: the only format is email");
        }
        Entry required = m.entries().get("required");
        boolean isRequired = false;
        if (required != null) {
            if (required.value() instanceof Scalar s && s.bool()) {
                isRequired = Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
            } else {
                problems.add(required.value(), where + ": required must be true or false, not " + required.value().describe());
            }
        }
        return new ColumnMapping(csv, column == null ? null : identifier(column, where + ": column"), ref[0], ref[1], fmt,
                isRequired, e.line());
    }

    /** {@code [table, column]} of a {@code ref: table.column}, or two nulls. */
    private String[] ref(Entry ref, String where) {
        if (ref == null) {
            return new String[2];
        }
        String text = text(ref.value(), where + ": ref");
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        if (parts.length != 2 || !IDENTIFIER.matcher(parts[0]).matches() || !IDENTIFIER.matcher(parts[1]).matches()) {
            if (text != null) {
                problems.add(ref.value(), where + ": ref '" + text + "' must be table.column, e.g. ref: jobs.job_id");
            }
            return new String[2];
        }
        return parts;
    }

    private List<DeclaredCheck> checks(Entry checks, String what) {
        List<DeclaredCheck> list = new ArrayList<>();
        if (!(checks.value() instanceof Sequence s)) {
            problems.add(checks.value(), what + ": checks must be a list of '- code: ..., severity: ..., sql: ...', not "
                    + checks.value().describe());
            return list;
        }
        for (YamlNode item : s.items()) {
            Mapping m = asMapping(item, what + ": a check");
            if (m == null) {
                continue;
            }
            unknownKeys(m, CHECK_KEYS, "in a check of " + what);
            Entry code = m.entries().get("code");
            Entry severity = m.entries().get("severity");
            Entry sql = m.entries().get("sql");
            list.add(new DeclaredCheck(code == null ? null : text(code.value(), what + ": code"),
                    severity == null ? Severity.ERROR : severity(severity, what), sql == null ? null : text(sql.value(), what + ": sql"),
                    item.line()));
        }
        return list;
    }

    private Severity severity(Entry severity, String what) {
        String text = text(severity.value(), what + ": severity");
        if ("error".equals(text) || "warning".equals(text)) {
            return Severity.valueOf(text.toUpperCase(Locale.ROOT));
        }
        if (text != null) {
            problems.add(severity.value(), what + ": severity '" + text + "' must be error or warning");
        }
        return Severity.ERROR;
    }

    private List<String> order(Entry order, Map<String, DeclaredImporter> importers) {
        List<String> names = new ArrayList<>();
        if (!(order.value() instanceof Sequence s)) {
            problems.add(order.value(), "order must be a list of importer names, e.g. order: [jobs, employees], not "
                    + order.value().describe());
            return names;
        }
        for (YamlNode item : s.items()) {
            String name = text(item, "an order entry");
            if (name == null) {
                continue;
            }
            if (!importers.containsKey(name)) {
                problems.add(item, "order names '" + name + "', which is not a declared importer"
                        + (importers.isEmpty() ? "" : "; the importers are " + String.join(", ", importers.keySet())));
            } else if (names.contains(name)) {
                problems.add(item, "order names '" + name + "' twice: give each importer once");
            }
            names.add(name);
        }
        return names;
    }

    /** The entry {@code key} of {@code m}, the value of {@code owner}; when missing, a problem on the owner's line. */
    private Entry required(Mapping m, Entry owner, String key, String what) {
        Entry e = m.entries().get(key);
        if (e == null) {
            problems.add(owner, what + " has no '" + key + ":': add it");
        }
        return e;
    }

    private Mapping asMapping(YamlNode node, String what) {
        if (node instanceof Mapping m) {
            return m;
        }
        problems.add(node, what + " must be a mapping of 'key: value' lines, not " + node.describe());
        return null;
    }

    /** The trimmed text of a scalar that is text (not a boolean, not empty); else a problem and {@code null}. */
    private String text(YamlNode node, String what) {
        if (node instanceof Scalar s && s.text() != null && !s.bool() && !s.text().isBlank()) {
            return s.text().trim();
        }
        problems.add(node, what + " must be text, not " + node.describe());
        return null;
    }

    /** The text of the entry's value if it is a plain SQL name ({@code [A-Za-z_][A-Za-z0-9_$]*}); else a problem. */
    private String identifier(Entry e, String what) {
        String name = text(e.value(), what);
        if (name != null && !IDENTIFIER.matcher(name).matches()) {
            problems.add(e.value(), what + ": '" + name + "' is not a plain SQL name (letters, digits, _ and $, not starting"
                    + " with a digit): use the table's own unquoted name");
            return null;
        }
        return name;
    }

    private void unknownKeys(Mapping m, List<String> allowed, String where) {
        for (Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                String guess = Suggestion.closest(e.key(), allowed);
                problems.add(e, "unknown key '" + e.key() + "' " + where
                        + (guess != null ? "; did you mean " + guess + "?" : "; the keys here are " + String.join(", ", allowed)));
            }
        }
    }
}
