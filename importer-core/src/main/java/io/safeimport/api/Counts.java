package io.safeimport.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many rows got each plan action, except {@code kept}: how many relationship changes were held
 * back without {@code --force-update}, also those of a row whose other changes are applied (a row
 * whose only changes are held back is counted there alone). Not thread-safe.
 */
public final class Counts {
    private long insert;
    private long update;
    private long unchanged;
    private long kept;
    private long invalid;
    private long skipped;

    public void add(String action) {
        switch (action) {
            case "insert" -> insert++;
            case "update" -> update++;
            case "unchanged" -> unchanged++;
            case "kept" -> kept++;
            case "invalid" -> invalid++;
            case "skipped" -> skipped++;
            default -> throw new IllegalArgumentException(action);
        }
    }

    public long insert() {
        return insert;
    }

    public long update() {
        return update;
    }

    public long unchanged() {
        return unchanged;
    }

    public long kept() {
        return kept;
    }

    public long invalid() {
        return invalid;
    }

    public long skipped() {
        return skipped;
    }

    /** Rows the run writes. */
    public long writes() {
        return insert + update;
    }

    /** In the order of DESIGN.md §3. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("insert", insert);
        m.put("update", update);
        m.put("unchanged", unchanged);
        m.put("kept", kept);
        m.put("invalid", invalid);
        m.put("skipped", skipped);
        return m;
    }
}
