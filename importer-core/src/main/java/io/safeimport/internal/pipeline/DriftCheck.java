package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.RollbackResult;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Step 1 of a rollback, the drift check: which rows the run wrote are no longer as it left them,
 * either changed since (compared with the run's post-images) or written again by a later run (read
 * from that run's snapshot), and the refusal that names the runs to roll back first. Separate from
 * {@link Rollback}, which decides what to do about drift ({@code --force}), because finding and
 * explaining it is most of the rollback's reading.
 */
final class DriftCheck {
    private static final int CHUNK = Rollback.CHUNK;
    private static final int SHOWN = 10;

    private final Catalog catalog;
    private final SnapshotStore snapshots;

    DriftCheck(Catalog catalog, SnapshotStore snapshots) {
        this.catalog = catalog;
        this.snapshots = snapshots;
    }

    /** The rows of {@code rows} as they are now, by id, locked for the rollback's transaction. */
    static Map<Long, Map<String, Object>> current(RowStore store, TableSpec spec, List<ObjectNode> rows) {
        List<Long> ids = new ArrayList<>();
        for (ObjectNode n : rows) {
            ids.add(n.get("id").asLong());
            if (spec.keyed()) {
                RowCodec.read(store.catalog(), spec, image(n)); // a natural key names the row in SQL
            }
        }
        return store.rowsById(spec, ids, true);
    }

    /** The row as the snapshot holds it: after the run, or before it for a row the run deleted. */
    private static JsonNode image(ObjectNode n) {
        return n.has("post") && !n.get("post").isNull() ? n.get("post") : n.get("pre");
    }

    void checkDrift(RowStore store, List<ObjectNode> chunk, RollbackResult result, Set<String> drifted) {
        for (Map.Entry<String, List<ObjectNode>> e : JsonLines.byTable(chunk).entrySet()) {
            TableSpec spec = catalog.table(e.getKey());
            Map<Long, Map<String, Object>> now = current(store, spec, e.getValue());
            for (ObjectNode n : e.getValue()) {
                long id = n.get("id").asLong();
                Map<String, Object> cur = now.get(id);
                String what;
                if ("delete".equals(n.get("op").asText())) {
                    what = cur == null ? null : "re-created since";
                } else if (cur == null) {
                    what = "deleted since";
                } else {
                    what = ColumnValues.firstDifference(spec, RowCodec.read(catalog, spec, n.get("post")), cur);
                }
                if (what != null) {
                    result.drift().add(spec.name() + " " + describe(spec, n, cur) + " (" + what + ")");
                    drifted.add(spec.name() + "#" + id);
                }
            }
        }
    }

    /**
     * Rows of the run that a later committed import wrote again, as that import's snapshot records
     * it, are drift too: a value changed and then changed back by later runs reads the same, but
     * restoring the pre-image would silently undo what those runs did to the row. Rows already
     * reported by {@link #checkDrift} are not reported twice. Rollback runs are not reported: one
     * that undid a later import leaves the rows as they were; but a later run of either kind that
     * wrote a drifted row is recorded in {@code writers} (and the row in {@code traced}), so the refusal can name the runs to roll
     * back first. A later import without a snapshot ({@code --no-backup}) cannot be traced and is
     * named in a warning. {@code later} is newest first.
     */
    void checkRewritten(Path changes, List<RunStore.Run> later, Set<String> drifted, Map<String, RunStore.Run> writers,
                                Set<String> traced, RollbackResult result) throws IOException {
        if (later.isEmpty()) {
            return;
        }
        Map<String, long[]> mine = touchedIds(changes);
        Set<String> reported = new HashSet<>();
        for (RunStore.Run r : later) { // newest first: a row is named with the last import that wrote it
            boolean rollback = "rollback".equals(r.importer());
            Path theirs = r.snapshotId() == null ? null : snapshots.dir(r.snapshotId()).resolve(SnapshotStore.CHANGES);
            if (theirs == null || !Files.isRegularFile(theirs)) {
                if (!rollback) {
                    result.warnings().add("run " + r.runId() + " committed after this run " + (r.snapshotId() == null
                            ? "without a snapshot (--no-backup)" : "but its snapshot " + r.snapshotId() + " is gone")
                            + ": whether it wrote these rows again cannot be told");
                }
                continue;
            }
            JsonLines.forEachChunk(theirs, CHUNK, chunk -> {
                for (ObjectNode n : chunk) {
                    String table = n.get("table").asText();
                    long id = n.get("id").asLong();
                    long[] ids = mine.get(table);
                    String key = table + "#" + id;
                    if (ids == null || Arrays.binarySearch(ids, id) < 0) {
                        continue;
                    }
                    if (drifted.contains(key) || !rollback) {
                        writers.put(r.runId(), r);
                    }
                    if (drifted.contains(key)) {
                        traced.add(key);
                    }
                    if (!rollback && !drifted.contains(key) && reported.add(key)) {
                        result.drift().add(table + " " + describe(catalog.table(table), n, null)
                                + " (written again by run " + r.runId() + ")");
                    }
                }
            });
        }
    }

    /**
     * One line: the rows changed since the run, and what to do. Rows a later safeimport run wrote
     * are put back by rolling that run back first (newest first), which keeps its work recorded
     * and undoable; {@code --force} would overwrite it silently, so it is offered only last.
     */
    String driftMessage(RunStore.Run run, List<String> drift, int untraced, Map<String, RunStore.Run> writers) {
        String rows = drift.size() + " row(s) written by run " + run.runId() + " changed since: "
                + String.join("; ", drift.subList(0, Math.min(SHOWN, drift.size())));
        if (writers.isEmpty()) {
            return rows + " — rolling back would overwrite those changes; use --force to restore anyway";
        }
        List<String> ids = new RunOrder(snapshots).newestFirst(new ArrayList<>(writers.values())).stream()
                .map(r -> r.snapshotId() == null ? r.runId() : r.snapshotId()).toList();
        String first = ids.size() == 1 ? "run " + ids.get(0) + " changed them after it: roll back " + ids.get(0) + " first"
                : ids.size() + " later runs changed them: roll those back first, newest first (" + String.join(", ", ids) + ")";
        return rows + " — " + first + ", then roll back " + run.snapshotId() + " again"
                + (untraced == 0 ? "" : " (" + untraced + " of the rows were changed outside safeimport or by a run without a snapshot:"
                        + " that rollback will still need --force for them)")
                + "; --force would restore anyway and silently undo what those runs wrote to these rows";
    }

    /** The ids of the rows a changes file lists, per table, sorted. */
    private static Map<String, long[]> touchedIds(Path changes) throws IOException {
        Map<String, LongStream.Builder> ids = new HashMap<>();
        JsonLines.forEachChunk(changes, CHUNK, chunk -> {
            for (ObjectNode n : chunk) {
                ids.computeIfAbsent(n.get("table").asText(), t -> LongStream.builder()).add(n.get("id").asLong());
            }
        });
        Map<String, long[]> sorted = new HashMap<>();
        ids.forEach((table, b) -> sorted.put(table, b.build().sorted().toArray()));
        return sorted;
    }

    private String describe(TableSpec spec, ObjectNode n, Map<String, Object> cur) {
        JsonNode row = image(n);
        if (row != null && !row.isNull() && spec.key().size() == 1 && !spec.requireColumn(spec.key().get(0)).isReference()) {
            return "'" + row.path(spec.key().get(0)).asText() + "'";
        }
        if (spec.keyed() && row != null && !row.isNull()) {
            return "'" + RowIds.name(spec, RowIds.ofRow(spec, RowCodec.read(catalog, spec, row))) + "'";
        }
        return "#" + n.get("id").asLong();
    }
}
