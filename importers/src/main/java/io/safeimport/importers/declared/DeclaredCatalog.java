package io.safeimport.importers.declared;

import io.safeimport.internal.catalog.ColumnInfo;
import io.safeimport.internal.catalog.TableInfo;
import io.safeimport.internal.config.ColumnMapping;
import io.safeimport.internal.config.DeclaredImporter;
import io.safeimport.internal.config.Problem;
import io.safeimport.internal.config.SafeImportConfig;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
        Optional<String> id = surrogateKey(info, d.tableLine());
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
            byCsv.put(m.csvColumn(), rule);
            columns.add(m.isRef() ? ColumnSpec.ref(column.name(), m.refTable(), column.nullable()) : rule.spec(null));
        }
        for (String csv : d.key()) {
            ColumnMapping m = d.columns().get(csv);
            if (m != null) {
                key.add(m.column());
            }
        }
        rules.put(d.name(), byCsv);
        if (id.isPresent() && key.size() == d.key().size()) {
            specs.put(d.table(), new TableSpec(d.table(), key, columns, true, "import " + d.name() + " --csv " + d.name() + ".csv",
                    d.name(), id.get()));
        }
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
        Optional<String> id = info == null ? Optional.empty() : surrogateKey(info, m.line());
        if (rule == null || id.isEmpty()) {
            return; // listed as a problem where the reference is declared, or by surrogateKey
        }
        specs.put(m.refTable(), new TableSpec(m.refTable(), List.of(column.name()), List.of(rule.spec(null)), true,
                "a row already in " + m.refTable() + " (no importer of " + config.file().getFileName() + " writes that table)",
                m.refTable() + " row", id.get()));
    }

    /**
     * The table's surrogate key: its one-column, auto-increment primary key (of any name). Natural and
     * composite primary keys are not supported yet: listed as a problem.
     */
    private Optional<String> surrogateKey(TableInfo info, int line) {
        if (info.primaryKey().size() == 1) {
            ColumnInfo pk = info.column(info.primaryKey().get(0)).orElse(null);
            if (pk != null && pk.autoIncrement()) {
                if (!pk.name().equals(TableSpec.ID) && info.column(TableSpec.ID).isPresent()) {
                    problems.add(new Problem(config.where(line), "table " + info.name() + " has a column named id beside its"
                            + " primary key " + pk.name() + "; safeimport cannot import into such a table yet"));
                    return Optional.empty();
                }
                return Optional.of(pk.name());
            }
        }
        String already = "table " + info.name() + ": ";
        if (problems.stream().noneMatch(p -> p.message().startsWith(already))) {
            problems.add(new Problem(config.where(line), already + "its primary key " + info.primaryKey() + " is not one auto-increment"
                    + " column; safeimport imports only into tables with a surrogate auto-increment key so far (natural and"
                    + " composite primary keys are not supported yet)"));
        }
        return Optional.empty();
    }
}
