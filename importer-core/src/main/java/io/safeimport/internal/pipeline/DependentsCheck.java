package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependents check of a rollback: rows the run inserted may be removed only when no row outside
 * the run points at them. When some do, the refusal names the later runs that wrote those rows
 * (found in their snapshots), newest first, so that the operator can roll them back first. Separate
 * from {@link Rollback} because tracing rows back to the runs that wrote them is a search of its own.
 */
final class DependentsCheck {
    private static final int CHUNK = Rollback.CHUNK;
    /** How many rows that depend on the run's rows are traced back to the run that wrote them. */
    private static final int ATTRIBUTED = 1000;
    private static final String OUTSIDE = "a change made outside safeimport or by a run without a snapshot (--no-backup)";

    private final Catalog catalog;
    private final SnapshotStore snapshots;

    DependentsCheck(Catalog catalog, SnapshotStore snapshots) {
        this.catalog = catalog;
        this.snapshots = snapshots;
    }

    /** A row outside the run whose {@code column} points at a row of {@code parent} the run inserted. */
    private record Dependent(String table, long id, String column, String parent, String row) {
        String describe() {
            return table + " " + row + " (" + column + ")";
        }
    }



    void checkDependents(RowStore store, Path changes, List<RunStore.Run> later) throws IOException {
        // rows the run inserted must not be pointed at by rows outside the run (written later)
        Map<String, Set<Long>> removedIds = new LinkedHashMap<>();
        JsonLines.forEachChunk(changes, CHUNK, chunk -> {
            for (ObjectNode n : chunk) {
                if ("insert".equals(n.get("op").asText())) {
                    TableSpec spec = catalog.table(n.get("table").asText());
                    if (spec.keyed()) {
                        RowCodec.read(catalog, spec, n.get("post")); // its key, for the references that hold it
                    }
                    removedIds.computeIfAbsent(spec.name(), k -> new HashSet<>()).add(n.get("id").asLong());
                }
            }
        });
        List<Dependent> dependents = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Set<Long>> e : removedIds.entrySet()) {
            List<Long> ids = new ArrayList<>(e.getValue());
            for (TableSpec child : catalog.tables()) {
                for (ColumnSpec c : child.columns()) {
                    if (!e.getKey().equals(c.references())) {
                        continue;
                    }
                    Set<Long> ownChildren = removedIds.getOrDefault(child.name(), Set.of());
                    for (int from = 0; from < ids.size(); from += CHUNK) {
                        List<Object> part = new ArrayList<>();
                        for (Long id : ids.subList(from, Math.min(ids.size(), from + CHUNK))) {
                            part.add(RowIds.refValue(c, id)); // what the column holds: the id, or the key of a keyed row
                        }
                        List<Long> refs = store.handle().createQuery("SELECT " + (child.keyed() ? String.join(", ", child.key()) : child.id() + " AS id")
                                        + " FROM " + child.name() + " WHERE " + c.name() + " IN (<ids>)")
                                .bindList("ids", part).map(RowStore.canonicalRows(child)).map(row -> (Long) row.get("id")).list();
                        for (Long ref : refs) {
                            if (!ownChildren.contains(ref)) {
                                total++;
                                if (dependents.size() < ATTRIBUTED) {
                                    dependents.add(new Dependent(child.name(), ref, c.name(), e.getKey(), RowIds.name(child, ref)));
                                }
                            }
                        }
                    }
                }
            }
        }
        if (!dependents.isEmpty()) {
            List<RunStore.Run> newestFirst = new RunOrder(snapshots).newestFirst(later);
            throw new SafeImportException(ExitCode.REFUSED,
                    dependentsMessage(dependents, total, writers(dependents, removedIds, newestFirst), newestFirst));
        }
    }

    /**
     * For each dependent row, the later run that made it point at this run's row: the newest later
     * run whose recorded changes set that reference (inserted the row with it, or changed it to it).
     * Rows no snapshot accounts for (a run with {@code --no-backup}, a change outside safeimport) are
     * left out.
     */
    private Map<Dependent, RunStore.Run> writers(List<Dependent> dependents, Map<String, Set<Long>> removedIds,
                                                 List<RunStore.Run> newestFirst) {
        Map<String, List<Dependent>> open = new LinkedHashMap<>();
        for (Dependent d : dependents) {
            open.computeIfAbsent(d.table() + "#" + d.id(), k -> new ArrayList<>()).add(d);
        }
        Map<Dependent, RunStore.Run> writers = new LinkedHashMap<>();
        for (RunStore.Run run : newestFirst) {
            if (open.isEmpty()) {
                break;
            }
            if (run.snapshotId() == null || !RunIds.isValid(run.snapshotId())) {
                continue;
            }
            Path file = snapshots.dir(run.snapshotId()).resolve(SnapshotStore.CHANGES);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try (JsonLines.Reader r = JsonLines.read(file)) {
                while (r.hasNext() && !open.isEmpty()) {
                    ObjectNode n = r.next();
                    String at = n.path("table").asText() + "#" + n.path("id").asLong();
                    List<Dependent> waiting = open.get(at);
                    JsonNode post = n.get("post");
                    if (waiting == null || post == null || post.isNull()) {
                        continue;
                    }
                    JsonNode pre = n.get("pre");
                    for (Iterator<Dependent> it = waiting.iterator(); it.hasNext(); ) {
                        Dependent d = it.next();
                        JsonNode now = post.get(d.column());
                        boolean points = now != null && now.canConvertToLong()
                                && removedIds.getOrDefault(d.parent(), Set.of()).contains(now.asLong());
                        boolean set = pre == null || pre.isNull() || !post.path(d.column()).equals(pre.path(d.column()));
                        if (points && set) {
                            writers.put(d, run);
                            it.remove();
                        }
                    }
                    if (waiting.isEmpty()) {
                        open.remove(at);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a damaged or unreadable snapshot of a later run only means it cannot be named here
            }
        }
        return writers;
    }

    /**
     * One line: the first dependent row and the run that wrote it, how many there are, and the later
     * runs to roll back first, newest first (each run named once, the count matching the list).
     */
    private String dependentsMessage(List<Dependent> dependents, long total, Map<Dependent, RunStore.Run> writers,
                                            List<RunStore.Run> newestFirst) {
        Dependent first = dependents.get(0);
        RunStore.Run firstWriter = writers.get(first);
        // named by the ID `rollback` takes: a run's snapshot (the same ID, except for rollbacks recorded by older releases)
        List<String> runs = newestFirst.stream().filter(writers::containsValue)
                .map(r -> r.snapshotId() == null ? r.runId() : r.snapshotId()).toList();
        long untraced = dependents.size() - writers.size();
        String noun = catalog.table(first.parent()).noun();
        StringBuilder sb = new StringBuilder(first.describe() + " points at " + ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun
                + " this run created; it was written by " + (firstWriter == null ? OUTSIDE : "run " + firstWriter.runId()));
        if (total > 1) {
            List<String> parts = new ArrayList<>();
            if (!runs.isEmpty()) {
                parts.add((untraced == 0 ? "" : writers.size() + " ") + "written by " + runs.size() + " later run"
                        + (runs.size() == 1 ? "" : "s"));
            }
            if (untraced > 0) {
                parts.add(untraced + " by " + OUTSIDE);
            }
            sb.append(" (").append(total).append(" references to its rows in all")
                    .append(total > dependents.size() ? "; of the first " + dependents.size() + ", " : ", ")
                    .append(String.join("; ", parts)).append(')');
        }
        if (!runs.isEmpty()) {
            sb.append(". Roll back ").append(runs.size() == 1 ? "run " + runs.get(0) + " first"
                    : "these " + runs.size() + " runs first, newest first: " + String.join(", ", runs)).append(" (see `runs list`)");
        }
        if (untraced > 0) {
            sb.append(runs.isEmpty() ? ". " : "; ").append("rows no later snapshot accounts for must be changed by hand first");
        }
        return sb.append("; nothing was restored").toString();
    }
}
