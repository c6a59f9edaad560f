package io.safeimport.importers.declared;

import io.safeimport.internal.catalog.ColumnInfo;
import io.safeimport.internal.catalog.TableInfo;
import io.safeimport.internal.config.ColumnMapping;
import io.safeimport.internal.config.DeclaredImporter;
import io.safeimport.internal.config.Problem;
import io.safeimport.internal.config.SafeImportConfig;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.TableSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog of the importers declared in {@code safeimport.yml}: one {@link TableSpec} per table
 * an importer writes (its key, the columns it maps, typed as the database describes them) and per
 * table a reference points into (keyed by the referenced column), in dependency order. Built from
 * the config and the tables' own metadata ({@link TableInfo}); what safeimport cannot yet import
 * into is listed as problems instead, with the config line.
 */
final class DeclaredCatalog {
    private final SafeImportConfig config;
    private final Map<String, TableInfo> tables;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, TableSpec> specs = new LinkedHashMap<>();
    private final Map<String, Map<String, ColumnRule>> rules = new LinkedHashMap<>();

    private DeclaredCatalog(SafeImportConfig config, Map<String, TableInfo> tables) {
        this.config = config;
        this.tables = tables;
    }

    /**
     * Describes the config's tables. {@code tables} holds every table the config names that exists
     * (the caller has checked the config with {@code ConfigCheck} first).
     */
    static DeclaredCatalog build(SafeImportConfig config, Map<String, TableInfo> tables) {
        DeclaredCatalog c = new DeclaredCatalog(config, tables);
        for (DeclaredImporter d : config.importers().values()) {
            c.declare(d);
        }
        for (DeclaredImporter d : config.importers().values()) {
            for (ColumnMapping m : d.columns().values()) {
                if (m.isRef()) {
                    c.target(m);
                }
            }
        }
        return c;
    }

    /** What safeimport cannot import into as configured; empty when the catalog is complete. */
    List<Problem> problems() {
        return problems;
    }

    /** The rule of each CSV column of an importer, by CSV column. */
    Map<String, ColumnRule> rules(String importer) {
        return rules.get(importer);
    }

    /** The tables in dependency order: a table after every table its NOT NULL references point at. */
    Catalog catalog() {
        List<TableSpec> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        List<TableSpec> waiting = new ArrayList<>(specs.values());
        while (!waiting.isEmpty()) {
            TableSpec next = waiting.stream().filter(t -> requiredParents(t).stream().allMatch(p -> p.equals(t.name()) || placed.contains(p)))
                    .findFirst().orElse(null);
            if (next == null) {
                throw new IllegalStateException("NOT NULL references form a circle between " + waiting.stream().map(TableSpec::name).toList());
            }
            waiting.remove(next);
            placed.add(next.name());
            ordered.add(next);
        }
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (TableSpec t : ordered) {
            fingerprints.put(t.name(), tables.get(t.name()).fingerprint());
        }
        return Catalog.of(ordered, fingerprints);
    }

    private static List<String> requiredParents(TableSpec t) {
        return t.columns().stream().filter(c -> c.isReference() && !c.nullable()).map(ColumnSpec::references).toList();
    }

    private void declare(DeclaredImporter d) {
        TableInfo info = tables.get(d.table());
        if (info == null) {
            return;
        }
        Map<String, ColumnRule> byCsv = new LinkedHashMap<>();
        List<ColumnSpec> columns = new ArrayList<>();
        List<String> key = new ArrayList<>();
        for (ColumnMapping m : d.columns().values()) {
            ColumnInfo column = info.column(m.column()).orElse(null);
            if (column == null) {
                continue;
            }
            ColumnRule rule = m.isRef() ? referenced(m) : ColumnRule.of(column).orElse(null);
            if (rule == null) {
                problems.add(new Problem(config.where(m.line()), m.isRef() ? unsupportedRef(m)
                        : "column " + d.table() + "." + column.name() + " is " + column.typeName() + ", which safeimport cannot"
                        + " import yet (text, whole numbers, decimals, dates, date-times, booleans and ENUMs can be); leave it out of columns"));
                continue;
            }
            ColumnSpec spec = m.isRef() ? referenceColumn(m, column) : rule.spec(null);
            if (spec == null) {
                continue;
            }
            byCsv.put(m.csvColumn(), rule);
            columns.add(spec);
        }
        for (String csv : d.key()) {
            ColumnMapping m = d.columns().get(csv);
            if (m != null) {
                key.add(m.column());
            }
        }
        rules.put(d.name(), byCsv);
        if (key.size() != d.key().size()) {
            return;
        }
        Optional<String> id = primaryKey(info, key, d.tableLine());
        if (id != null) {
            specs.put(d.table(), new TableSpec(d.table(), key, columns, true, "import " + d.name() + " --csv " + d.name() + ".csv",
                    d.name(), id.orElse(null)));
        }
    }

    /**
     * The column of a reference: holding the referenced row's surrogate id, or, where the
     * referenced table's primary key is natural, that key's value (then the reference must name the
     * key column, a one-column primary key); {@code null} when it cannot be declared (a problem).
     */
    private ColumnSpec referenceColumn(ColumnMapping m, ColumnInfo column) {
        TableInfo target = tables.get(m.refTable());
        if (isSurrogate(target)) {
            return ColumnSpec.ref(column.name(), m.refTable(), column.nullable());
        }
        if (target.primaryKey().size() != 1 || !target.primaryKey().get(0).equalsIgnoreCase(m.refColumn())) {
            String ref = "ref " + m.refTable() + "." + m.refColumn() + ": ";
            problems.add(new Problem(config.where(m.line()), switch (target.primaryKey().size()) {
                case 0 -> ref + m.refTable() + " has no primary key, and a reference stores the referenced row's primary key;"
                        + " give " + m.refTable() + " one";
                case 1 -> ref + m.refTable() + "'s primary key " + target.primaryKey().get(0) + " is not filled by the database,"
                        + " so a reference stores that key itself; refer to its rows by " + m.refTable() + "." + target.primaryKey().get(0);
                default -> ref + m.refTable() + "'s primary key has several columns " + target.primaryKey() + "; safeimport cannot"
                        + " refer to such a row from one column yet";
            }));
            return null;
        }
        ColumnRule own = ColumnRule.of(column).orElse(null);
        ColumnRule key = target.column(m.refColumn()).flatMap(ColumnRule::of).orElse(null);
        if (own == null || key == null) {
            return null; // listed by the caller, or where the reference is declared
        }
        if (!sameKind(own.type(), key.type())) {
            problems.add(new Problem(config.where(m.line()), "ref " + m.refTable() + "." + m.refColumn() + ": column "
                    + column.name() + " is " + column.typeName() + " but would hold " + m.refTable() + "'s key " + m.refColumn()
                    + ", which is " + key.info().typeName() + "; declare the reference on a column of that type"));
            return null;
        }
        return own.keyReference(m.refTable());
    }

    /** Whether a column of type {@code a} holds the values of a key of type {@code b}: the same kind, whole numbers of any width. */
    private static boolean sameKind(ColumnType a, ColumnType b) {
        boolean whole = (a == ColumnType.INTEGER || a == ColumnType.BIGINT) && (b == ColumnType.INTEGER || b == ColumnType.BIGINT);
        return a == b || whole;
    }

    /** Whether the table's primary key is one auto-increment column, which the database fills. */
    private static boolean isSurrogate(TableInfo info) {
        if (info.primaryKey().size() != 1) {
            return false;
        }
        ColumnInfo pk = info.column(info.primaryKey().get(0)).orElse(null);
        return pk != null && pk.autoIncrement();
    }

    private String unsupportedRef(ColumnMapping m) {
        ColumnInfo target = tables.get(m.refTable()).column(m.refColumn()).orElseThrow();
        return "ref " + m.refTable() + "." + m.refColumn() + ": that column is " + target.typeName() + ", by which safeimport"
                + " cannot look rows up yet; refer to a text, whole-number, decimal or date column";
    }

    /** The rule of a reference's value: the referenced column's own type (a name, a code, an e-mail). */
    private ColumnRule referenced(ColumnMapping m) {
        TableInfo target = tables.get(m.refTable());
        ColumnInfo column = target == null ? null : target.column(m.refColumn()).orElse(null);
        return column == null ? null : ColumnRule.of(column).orElse(null);
    }

    /** A table a reference points into: keyed by the referenced column, which its own importer (if any) must key it by too. */
    private void target(ColumnMapping m) {
        TableSpec declared = specs.get(m.refTable());
        if (declared != null) {
            if (!declared.key().equals(List.of(m.refColumn()))) {
                problems.add(new Problem(config.where(m.line()), "ref " + m.refTable() + "." + m.refColumn() + ": importer "
                        + declared.noun() + " keys " + m.refTable() + " by " + declared.key() + "; refer to its rows by that key"));
            }
            return;
        }
        if (config.importers().values().stream().anyMatch(d -> d.table().equals(m.refTable()))) {
            return; // its importer has problems of its own
        }
        TableInfo info = tables.get(m.refTable());
        ColumnInfo column = info == null ? null : info.column(m.refColumn()).orElse(null);
        ColumnRule rule = column == null ? null : ColumnRule.of(column).orElse(null);
        if (rule == null) {
            return; // listed as a problem where the reference is declared
        }
        Optional<String> id = isSurrogate(info) ? primaryKey(info, List.of(column.name()), m.line()) : Optional.empty();
        if (id == null || !isSurrogate(info) && !List.of(column.name().toLowerCase(Locale.ROOT)).equals(lower(info.primaryKey()))) {
            return; // listed as a problem where the reference is declared
        }
        specs.put(m.refTable(), new TableSpec(m.refTable(), List.of(column.name()), List.of(rule.spec(null)), true,
                "a row already in " + m.refTable() + " (no importer of " + config.file().getFileName() + " writes that table)",
                m.refTable() + " row", id.orElse(null)));
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * How rows of the table are known: its surrogate key column (a one-column, auto-increment primary
     * key of any name), or empty for a natural primary key, which must then be exactly the columns
     * the rows are keyed by ({@code key}: a job code; an employee and a start date). {@code null}
     * when neither holds: listed as a problem.
     */
    private Optional<String> primaryKey(TableInfo info, List<String> key, int line) {
        String already = "table " + info.name() + ": ";
        if (isSurrogate(info)) {
            String pk = info.primaryKey().get(0);
            if (!pk.equalsIgnoreCase(TableSpec.ID) && info.column(TableSpec.ID).isPresent()) {
                problem(line, already + "it has a column named id beside its primary key " + pk + "; safeimport cannot import"
                        + " into such a table yet");
                return null;
            }
            return Optional.of(info.column(pk).orElseThrow().name());
        }
        if (info.primaryKey().isEmpty()) {
            problem(line, already + "it has no primary key; safeimport needs one to know each row (a surrogate auto-increment"
                    + " key, or the columns of the importer's key)");
            return null;
        }
        if (!new HashSet<>(lower(info.primaryKey())).equals(new HashSet<>(lower(key)))) {
            problem(line, already + "its primary key " + info.primaryKey() + " is not filled by the database, so it is the key"
                    + " rows are found by: key the importer by the CSV columns of " + info.primaryKey() + " (it is keyed by columns "
                    + key + ")");
            return null;
        }
        if (info.column(TableSpec.ID).isPresent()) {
            problem(line, already + "it has a column named id beside its primary key " + info.primaryKey()
                    + "; safeimport cannot import into such a table yet");
            return null;
        }
        return Optional.empty();
    }

    private void problem(int line, String message) {
        String table = message.substring(0, message.indexOf(':') + 1);
        if (problems.stream().noneMatch(p -> p.message().startsWith(table))) {
            problems.add(new Problem(config.where(line), message));
        }
    }
}
