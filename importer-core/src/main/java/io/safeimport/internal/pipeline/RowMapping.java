package io.safeimport.internal.pipeline;

import io.safeimport.api.ImportResult;
import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.Ref;
import io.safeimport.spi.RowEmitter;
import io.safeimport.spi.TargetRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The target rows of CSV rows, through the importer's mapper. Every pass over a file (validate,
 * plan, the pass that names the rows on a manager cycle) maps its rows here, so that a row maps the
 * same way each time and the rows an importer skips are counted once, on the first pass.
 */
final class RowMapping {
    private final ImportResult result;

    RowMapping(ImportResult result) {
        this.result = result;
    }

    /**
     * The target rows of a CSV row. Skipped rows are counted and shown on the first (validation)
     * pass only; later passes map the same row again and must not count it twice.
     */
    List<TargetRow> map(CsvLayout layout, CsvFile.Row row, boolean firstPass) {
        return map(layout, row, firstPass, null);
    }

    /**
     * The references a row found invalid on the first pass names, as target rows without a key
     * (checked, never planned), or an empty list.
     */
    List<TargetRow> references(CsvLayout layout, CsvFile.Row row) {
        List<TargetRow> refs = new ArrayList<>(1);
        List<TargetRow> targets = map(layout, row, false, refs);
        // a row rejected on the first pass for its key alone (a duplicate) maps cleanly: its references are checked too
        if (row.rejected()) {
            return refs;
        }
        Set<Ref> own = new HashSet<>();
        targets.forEach(t -> own.add(new Ref(t.table(), new ArrayList<>(t.key().values()))));
        return targets.stream().map(t -> new TargetRow(t.table(), Map.of(), refsOf(t, own), false)).toList();
    }

    /** The references of a target row, but for those to rows the same CSV row makes (a snapshot's event). */
    private static Map<String, Object> refsOf(TargetRow t, Set<Ref> own) {
        Map<String, Object> refs = new LinkedHashMap<>();
        BiConsumer<String, Object> add = (k, v) -> {
            if (v instanceof Ref r && !own.contains(r)) {
                refs.put(k, v);
            }
        };
        t.key().forEach(add);
        t.values().forEach(add);
        return refs;
    }

    private List<TargetRow> map(CsvLayout layout, CsvFile.Row row, boolean firstPass, List<TargetRow> rejectedRefs) {
        List<TargetRow> out = new ArrayList<>(2);
        if (row.rejected()) {
            return out;
        }
        layout.mapper().map(row, new RowEmitter() {
            @Override
            public void emit(TargetRow t) {
                if (!layout.tables().contains(t.table())) {
                    throw new IllegalStateException(layout.kind() + " emitted a row for undeclared table " + t.table());
                }
                out.add(t);
            }

            @Override
            public void skip(String reason) {
                if (!firstPass) {
                    return;
                }
                result.counts().add("skipped");
                result.plan(new ImportResult.PlanLine(row.file(), row.line(), layout.tables().get(0), "", "skipped", reason));
            }

            @Override
            public void references(String table, Map<String, Ref> references) {
                if (rejectedRefs != null && !references.isEmpty()) {
                    rejectedRefs.add(new TargetRow(table, Map.of(), new LinkedHashMap<>(references), false));
                }
            }
        });
        return out;
    }
}
