package io.safeimport.internal.config;

import io.safeimport.internal.catalog.ColumnInfo;
import io.safeimport.internal.catalog.TableInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Holds a well-formed config against the live database (DESIGN.md §7, {@code config check}) and
 * lists every way it does not fit, at once: missing tables and columns, keys and references
 * without a unique index, NOT NULL and primary-key columns no CSV column fills, {@code format:
 * email} on a column that is not text, checks without code or SQL. An empty list means usable.
 * Every import runs the same check first.
 */
public final class ConfigCheck {
    private final SafeImportConfig config;
    private final Function<String, Optional<TableInfo>> tables;
    private final List<Problem> problems = new ArrayList<>();

    private ConfigCheck(SafeImportConfig config, Function<String, Optional<TableInfo>> tables) {
        this.config = config;
        this.tables = tables;
    }

    /**
     * Every problem of {@code cfg} against the tables {@code tables} describes (a table name →
     * its definition, empty when there is no such table; typically {@code CatalogReader.read} on
     * one connection), importer by importer in file order.
     */
    public static List<Problem> check(SafeImportConfig cfg, Function<String, Optional<TableInfo>> tables) {
        ConfigCheck check = new ConfigCheck(cfg, tables);
        cfg.importers().values().forEach(check::importer);
        return List.copyOf(check.problems);
    }

    private void importer(DeclaredImporter imp) {
        Optional<TableInfo> found = tables.apply(imp.table());
        if (found.isEmpty()) {
            at(imp.tableLine(), "importer " + imp.name() + ": table " + imp.table() + " does not exist in the database:"
                    + " create it, or name an existing table under table:");
        }
        for (ColumnMapping m : imp.columns().values()) {
            found.ifPresent(t -> column(imp, t, m));
            if (m.isRef()) {
                ref(imp, m);
            }
        }
        found.ifPresent(t -> key(imp, t));
        found.ifPresent(t -> unfilled(imp, t));
        for (DeclaredCheck c : imp.checks()) {
            if (c.code() == null || c.sql() == null) {
                at(c.line(), "importer " + imp.name() + ": a check has no " + (c.code() == null ? "code:" : "sql:")
                        + (c.code() == null && c.sql() == null ? " and no sql:" : "") + ": give each check a code and the SQL"
                        + " that selects the offending rows");
            }
        }
    }

    private void column(DeclaredImporter imp, TableInfo table, ColumnMapping m) {
        Optional<ColumnInfo> column = table.column(m.column());
        if (column.isEmpty()) {
            at(m.line(), "importer " + imp.name() + ": CSV column " + m.csvColumn() + " goes to " + table.name() + "." + m.column()
                    + ", which does not exist: name an existing column of " + table.name());
        } else if ("email".equals(m.format()) && !m.isRef() && !column.get().isText()) {
            at(m.line(), "importer " + imp.name() + ": format: email on " + table.name() + "." + m.column() + ", which is not a"
                    + " text column (" + column.get().typeName() + "): remove format: email or map the CSV column to a text column");
        }
    }

    private void ref(DeclaredImporter imp, ColumnMapping m) {
        String target = m.refTable() + "." + m.refColumn();
        Optional<TableInfo> table = tables.apply(m.refTable());
        if (table.isEmpty()) {
            at(m.line(), "importer " + imp.name() + ": ref " + target + ": table " + m.refTable() + " does not exist in the database");
        } else if (table.get().column(m.refColumn()).isEmpty()) {
            at(m.line(), "importer " + imp.name() + ": ref " + target + ": column " + m.refColumn() + " does not exist in "
                    + m.refTable());
        } else if ("email".equals(m.format()) && !table.get().column(m.refColumn()).get().isText()) {
            // the address is looked up in the referenced column, so that column must hold text
            at(m.line(), "importer " + imp.name() + ": format: email on ref " + target + ", which is not a text column ("
                    + table.get().column(m.refColumn()).get().typeName() + "): remove format: email or refer to a text column");
        } else if (!table.get().isUnique(List.of(m.refColumn()))) {
            at(m.line(), "importer " + imp.name() + ": ref " + target + ": " + m.refColumn() + " is neither the primary key of "
                    + m.refTable() + " nor has a unique index of its own, so a value could match several rows: add a unique"
                    + " index on " + m.refTable() + " (" + m.refColumn() + ") or refer to a column that has one");
        }
    }

    private void key(DeclaredImporter imp, TableInfo table) {
        List<String> columns = new ArrayList<>();
        boolean known = true;
        for (String csv : imp.key()) {
            ColumnMapping m = imp.columns().get(csv);
            if (m == null) {
                at(imp.keyLine(), "importer " + imp.name() + ": key names " + csv + ", which is not a CSV column under columns:"
                        + " add it there or correct the key");
                known = false;
            } else if (table.column(m.column()).isEmpty()) {
                known = false; // reported as a missing column
            } else {
                columns.add(m.column());
            }
        }
        if (known && !columns.isEmpty() && !table.isUnique(columns)) {
            String list = String.join(", ", columns);
            at(imp.keyLine(), "importer " + imp.name() + ": key (" + String.join(", ", imp.key()) + ") is " + table.name() + " ("
                    + list + "), which is neither the primary key nor exactly a unique index, so it does not identify one row:"
                    + " add a unique index on " + table.name() + " (" + list + ") or choose key columns that have one");
        }
    }

    /** NOT NULL columns without a default, and primary-key columns the database does not fill, that no CSV column fills. */
    private void unfilled(DeclaredImporter imp, TableInfo table) {
        Map<String, String> filledBy = new HashMap<>();
        for (ColumnMapping m : imp.columns().values()) {
            String previous = filledBy.putIfAbsent(m.column().toLowerCase(Locale.ROOT), m.csvColumn());
            if (previous != null) {
                at(m.line(), "importer " + imp.name() + ": CSV columns " + previous + " and " + m.csvColumn() + " both go to "
                        + table.name() + "." + m.column() + ": map one CSV column to it");
            }
        }
        for (ColumnInfo c : table.columns()) {
            if (filledBy.containsKey(c.name().toLowerCase(Locale.ROOT)) || c.autoIncrement()) {
                continue;
            }
            boolean inKey = table.primaryKey().stream().anyMatch(k -> k.equalsIgnoreCase(c.name()));
            if (inKey) {
                inTable(table, "primary-key column " + c.name() + " is not auto-increment and no CSV column of importer "
                        + imp.name() + " fills it: map a CSV column to it");
            } else if (!c.fillsItself()) {
                inTable(table, "column " + c.name() + " is NOT NULL without a default and no CSV column of importer " + imp.name()
                        + " fills it: map a CSV column to it, or give it a default");
            }
        }
    }

    private void at(int line, String message) {
        problems.add(new Problem(config.where(line), message));
    }

    private void inTable(TableInfo table, String message) {
        problems.add(new Problem("table " + table.name(), message));
    }
}
