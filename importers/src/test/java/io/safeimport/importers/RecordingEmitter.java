package io.safeimport.importers;

import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.Ref;
import io.safeimport.spi.RowEmitter;
import io.safeimport.spi.TargetRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link RowEmitter} that records, in order, what a row mapper emits, skips and names as references. */
final class RecordingEmitter implements RowEmitter {

    /** One {@link RowEmitter#references} call. */
    record References(String table, Map<String, Ref> references) {
    }

    final List<TargetRow> emitted = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<References> references = new ArrayList<>();

    /** Maps {@code row} with the layout's mapper and returns what it sent. */
    static RecordingEmitter map(CsvLayout layout, FakeCsvRow row) {
        RecordingEmitter out = new RecordingEmitter();
        layout.mapper().map(row, out);
        return out;
    }

    @Override
    public void emit(TargetRow row) {
        emitted.add(row);
    }

    @Override
    public void skip(String reason) {
        skipped.add(reason);
    }

    @Override
    public void references(String table, Map<String, Ref> refs) {
        references.add(new References(table, new LinkedHashMap<>(refs)));
    }

    /** The one row emitted; fails when there is not exactly one. */
    TargetRow only() {
        if (emitted.size() != 1) {
            throw new AssertionError("expected exactly one emitted row, got " + emitted.size() + ": " + emitted);
        }
        return emitted.get(0);
    }

    /** Whether nothing at all was emitted, skipped or named. */
    boolean silent() {
        return emitted.isEmpty() && skipped.isEmpty() && references.isEmpty();
    }
}
