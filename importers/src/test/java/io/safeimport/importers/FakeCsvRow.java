package io.safeimport.importers;

import io.safeimport.spi.CsvRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CsvRow} held in memory, keeping the contract of the pipeline's row: header names are
 * lower-case, {@link #get} trims and reads a blank cell exactly like a missing column
 * ({@code null}), and every {@link #reject} is recorded in order.
 */
final class FakeCsvRow implements CsvRow {

    /** One {@link CsvRow#reject} call. */
    record Rejection(String column, String code, String message) {
    }

    private final Map<String, String> cells;
    private final List<Rejection> rejections = new ArrayList<>();

    private FakeCsvRow(Map<String, String> cells) {
        this.cells = cells;
    }

    /** A row from column/value pairs: {@code of("email", "ann@example.com", "first_name", "Ann")}. */
    static FakeCsvRow of(String... columnsAndValues) {
        if (columnsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("column/value pairs expected");
        }
        Map<String, String> cells = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            cells.put(columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return new FakeCsvRow(cells);
    }

    /** This row with more cells; a column already there keeps its place and takes the new value. */
    FakeCsvRow with(String... columnsAndValues) {
        List<String> all = new ArrayList<>();
        cells.forEach((c, v) -> {
            all.add(c);
            all.add(v);
        });
        all.addAll(List.of(columnsAndValues));
        return of(all.toArray(String[]::new));
    }

    /** The header of this row, in the order given. */
    List<String> header() {
        return List.copyOf(cells.keySet());
    }

    List<Rejection> rejections() {
        return rejections;
    }

    /** Each rejection as {@code column:code}, in order: what tests compare. */
    List<String> rejectionCodes() {
        return rejections.stream().map(r -> r.column() + ":" + r.code()).toList();
    }

    @Override
    public String file() {
        return "test.csv";
    }

    @Override
    public long line() {
        return 2;
    }

    @Override
    public boolean has(String column) {
        return cells.containsKey(column);
    }

    @Override
    public String get(String column) {
        String v = cells.get(column);
        if (v == null) {
            return null;
        }
        String s = v.strip();
        return s.isEmpty() ? null : s;
    }

    @Override
    public void reject(String column, String code, String message) {
        rejections.add(new Rejection(column, code, message));
    }

    @Override
    public boolean rejected() {
        return !rejections.isEmpty();
    }
}
