package io.safeimport.importers.declared;

import io.safeimport.internal.config.ColumnMapping;
import io.safeimport.internal.config.DeclaredImporter;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.CsvColumn;
import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.CsvRow;
import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.Importer;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Ref;
import io.safeimport.spi.RowEmitter;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An importer declared in {@code safeimport.yml} (DESIGN.md §7): it maps each CSV column to a
 * column of the operator's table, typed as the database describes that column, and names
 * references by the referenced row's natural key. Everything else (planning, snapshot, one
 * transaction, checks, rollback) is the same pipeline the built-in importers run through.
 */
public final class ConfiguredImporter implements Importer {
    private final DeclaredImporter declared;
    private final TableSpec table;
    private final Map<String, ColumnRule> rules;
    private final Catalog catalog;
    private final List<IntegrityCheck> checks;

    ConfiguredImporter(DeclaredImporter declared, Catalog catalog, Map<String, ColumnRule> rules, List<IntegrityCheck> checks) {
        this.declared = declared;
        this.catalog = catalog;
        this.table = catalog.table(declared.table());
        this.rules = rules;
        this.checks = List.copyOf(checks);
    }

    @Override
    public String name() {
        return declared.name();
    }

    @Override
    public String description() {
        return "Import " + declared.table() + " (declared in safeimport.yml), keyed by " + String.join(", ", declared.key()) + ".";
    }

    /** The config entry this importer was declared by. */
    public DeclaredImporter declared() {
        return declared;
    }

    @Override
    public Catalog catalog() {
        return catalog;
    }

    @Override
    public List<IntegrityCheck> checks() {
        return checks;
    }

    /** The CSV column the config maps to {@code table.column}. */
    @Override
    public String csvColumn(String table, String column) {
        if (!table.equals(declared.table())) {
            return null;
        }
        for (ColumnMapping m : declared.columns().values()) {
            if (m.column().equals(column)) {
                return m.csvColumn();
            }
        }
        return null;
    }

    @Override
    public CsvLayout layout(List<String> header, ImportOptions options) {
        List<CsvColumn> columns = new ArrayList<>();
        for (ColumnMapping m : declared.columns().values()) {
            columns.add(new CsvColumn(m.csvColumn(), required(m)));
        }
        return new CsvLayout(declared.name(), columns, List.of(table.name()), this::map);
    }

    /**
     * Whether a blank cell refuses the row whatever it is: key columns and {@code required: true}.
     * A column the database needs a value for (NOT NULL, no default) is required in new rows only
     * ({@link #requiredInNewRows}), which planning tells apart.
     */
    private boolean required(ColumnMapping m) {
        return m.required() || declared.key().contains(m.csvColumn());
    }

    /** The mapped columns the database needs a value for in a new row: NOT NULL, no default, not filled by the database. */
    @Override
    public List<String> requiredInNewRows(String tableName) {
        if (!tableName.equals(declared.table())) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (ColumnMapping m : declared.columns().values()) {
            if (!required(m) && needsValue(m)) { // a required cell is refused blank in every row already
                out.add(m.column());
            }
        }
        return out;
    }

    private boolean needsValue(ColumnMapping m) {
        if (m.isRef()) {
            return !table.requireColumn(m.column()).nullable(); // the rule describes the referenced column, not this one
        }
        ColumnRule rule = rules.get(m.csvColumn());
        return rule != null && !rule.info().fillsItself();
    }

    private void map(CsvRow row, RowEmitter out) {
        Map<String, Object> key = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Ref> refs = new LinkedHashMap<>();
        for (ColumnMapping m : declared.columns().values()) {
            String csv = m.csvColumn();
            if (row.get(csv) == null) {
                if (required(m)) {
                    row.reject(csv, "required", "'" + csv + "' is required and is blank");
                }
                continue;
            }
            Object v = rules.get(csv).read(row, csv, "email".equals(m.format()));
            if (v == null) {
                continue;
            }
            Object value = v;
            if (m.isRef()) {
                Ref r = Ref.to(m.refTable(), v);
                refs.put(m.column(), r);
                value = r;
            }
            (declared.key().contains(csv) ? key : values).put(m.column(), value);
        }
        if (row.rejected()) {
            out.references(table.name(), refs);
            return;
        }
        out.emit(new TargetRow(table.name(), key, values, false));
    }
}
