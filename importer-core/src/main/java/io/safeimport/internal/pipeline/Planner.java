package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ImportError;
import io.safeimport.api.ImportResult;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.Keys;
import io.safeimport.internal.plan.KeySet;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowDecision;
import io.safeimport.internal.plan.RowDecision.Difference;
import io.safeimport.internal.plan.RowDecision.Insert;
import io.safeimport.internal.plan.RowDecision.Kept;
import io.safeimport.internal.plan.RowDecision.Skipped;
import io.safeimport.internal.plan.RowDecision.Unchanged;
import io.safeimport.internal.plan.RowDecision.Update;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The plan step for one chunk of CSV rows: resolve references, read the existing rows by natural
 * key, and decide per target row: {@code insert}, {@code update} (with the changed fields),
 * {@code unchanged}, {@code kept} (a relationship change held back without {@code --force-update}),
 * {@code skipped} (an insert-only row that exists) or {@code invalid} (a reference that exists
 * nowhere). Writes the plan entries that apply will execute and, for a real run, the snapshot's
 * pre-images. The decision for a row against its stored row is {@link RowDecision}'s; this class
 * adds what needs the run (rows of an earlier file, skipped sources), the database (the stored key a
 * plan line names) and the plan's outputs.
 */
final class Planner {
    /**
     * A CSV row with what it maps to. A row found invalid before planning ({@code rejected}) has
     * only its references, as target rows without a key: they are checked and reported, never planned.
     */
    record Mapped(String file, long line, List<TargetRow> targets, List<String> raw, boolean rejected) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final RowStore store;
    private final boolean forceUpdate;
    private final Map<String, KeySet> pending;
    private final String currentTable;
    private final ImportResult result;
    /** The plan file of a table, or {@code null} in a dry-run (nothing will be applied). */
    private final Function<String, JsonLines.Writer> planFile;
    private final JsonLines.Writer pre;
    private final PlanSink sink;
    private final CycleGraph cycles;
    private final int fileIndex;
    private final PlanDigest digest;
    private final StepTimer timer;
    private final ChunkOrder order;
    /** Natural keys of the stored rows a kept or replaced relationship points at, for the plan lines. */
    private final StoredKeys storedKeys;
    /** The number of the chunk being planned, written into every plan entry. */
    private long seq;
    /**
     * Insert-only rows of this chunk that exist and differ from the file (a history event without
     * {@code --update-existing}): rows keyed by a reference to one of them (its snapshots) are
     * skipped with it, not inserted to disagree with the stored row they derive from.
     */
    private final Set<Ref> skipped = new HashSet<>();

    /** Receives display lines and errors. */
    interface PlanSink {
        void line(ImportResult.PlanLine line);

        void error(ImportError error);

        /** A row found invalid while planning (its errors were reported with {@link #error}). */
        void invalid(Mapped row, List<ImportError> errors);

        /** The CSV column that fills {@code table.column}, as the file's importer names it, or {@code null} if it does not say. */
        default String csvColumn(String table, String column) {
            return null;
        }

        /** How the file's importer names the row a reference in {@code table.column} points at, or {@code null}. */
        default String referenceNoun(String table, String column) {
            return null;
        }

        /** What the file's importer advises when a reference in {@code table.column} names no row, or {@code null}. */
        default String missingReferenceAdvice(String table, String column) {
            return null;
        }

        /** The columns of {@code table} a new row must give, as the file's importer says ({@code Importer.requiredInNewRows}). */
        default List<String> requiredInNewRows(String table) {
            return List.of();
        }
    }

    Planner(RowStore store, boolean forceUpdate, Map<String, KeySet> pending, String currentTable, ImportResult result,
            Function<String, JsonLines.Writer> planFile, JsonLines.Writer pre, PlanSink sink, CycleGraph cycles, int fileIndex, PlanDigest digest,
            StepTimer timer, ChunkOrder order) {
        this.order = order;
        this.digest = digest;
        this.timer = timer;
        this.fileIndex = fileIndex;
        this.store = store;
        this.forceUpdate = forceUpdate;
        this.pending = pending;
        this.currentTable = currentTable;
        this.result = result;
        this.planFile = planFile;
        this.pre = pre;
        this.sink = sink;
        this.cycles = cycles;
        this.storedKeys = new StoredKeys(store);
    }

    /**
     * What planning one chunk needs from the database: the ids of the references it names, the
     * stored rows with its keys, and the keys of the rows those rows point at through a
     * self-reference (for the cycle check). Reads only, so it can run ahead of planning on a second
     * connection: nothing is written to the database before planning ends.
     */
    record Lookup(Map<Ref, Long> resolved, Map<String, Map<String, Map<String, Object>>> existing, Map<Long, String> selfKeys) {
    }

    /**
     * Reads what {@link #plan(List, Lookup)} needs for this chunk; uses only {@code store}
     * (thread-confined to the caller). Where {@code order} (may be {@code null}) follows the file,
     * the stored rows are read by page ({@link IdOrder}); {@code seq} is the chunk's place in the
     * file order, and its turn is always finished here.
     */
    static Lookup lookup(RowStore store, List<Mapped> chunk, StepTimer timer, IdOrder order, int seq) {
        try {
            Set<Ref> refs = new LinkedHashSet<>();
            for (Mapped m : chunk) {
                for (TargetRow t : m.targets()) {
                    collectRefs(t, refs);
                }
            }
            Map<Ref, Long> resolved = timer.time("plan.resolve", () -> store.resolve(refs));
            // the chunk's keys per table, and the file's self-reference of each row by the row's key: where it
            // names the row stored there, its key is known
            Map<TableSpec, Map<String, List<Object>>> wanted = new LinkedHashMap<>();
            Map<String, Map<String, Ref>> fileTargets = new HashMap<>();
            for (TableSpec spec : store.catalog().tables()) {
                String self = spec.selfReference();
                Map<String, List<Object>> tuples = new LinkedHashMap<>();
                Map<String, Ref> targets = new HashMap<>();
                for (Mapped m : chunk) {
                    if (m.rejected()) {
                        continue;
                    }
                    for (TargetRow t : m.targets()) {
                        if (t.table().equals(spec.name())) {
                            List<Object> k = RowStore.canonicalKey(spec, t.key(), resolved);
                            if (k != null) {
                                String tuple = RowStore.tuple(k);
                                tuples.put(tuple, k);
                                if (self != null && t.values().get(self) instanceof Ref r) {
                                    targets.put(tuple, r);
                                }
                            }
                        }
                    }
                }
                if (!tuples.isEmpty()) {
                    wanted.put(spec, tuples);
                    fileTargets.put(spec.name(), targets);
                }
            }
            Map<String, IdOrder.Found> paged = new HashMap<>();
            if (order != null && wanted.keySet().stream().anyMatch(order::follows)) {
                boolean myTurn = timer.time("plan.turn", () -> {
                    try {
                        return order.awaitTurn(seq);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while planning", e);
                    }
                });
                if (myTurn) {
                    for (Map.Entry<TableSpec, Map<String, List<Object>>> e : wanted.entrySet()) {
                        if (order.follows(e.getKey())) {
                            paged.put(e.getKey().name(), timer.time("plan.page", () -> order.page(store, e.getKey(), e.getValue())));
                        }
                    }
                }
                order.finish(seq);
            }
            Map<String, Map<String, Map<String, Object>>> existing = new HashMap<>();
            Map<Long, String> selfKeys = new HashMap<>();
            for (Map.Entry<TableSpec, Map<String, List<Object>>> e : wanted.entrySet()) {
                TableSpec spec = e.getKey();
                IdOrder.Found page = paged.get(spec.name());
                Map<String, Map<String, Object>> rows = new HashMap<>(page == null ? Map.of() : page.rows());
                List<List<Object>> rest = new ArrayList<>();
                if (page == null || !page.allLookedUp()) {
                    e.getValue().forEach((tuple, k) -> {
                        if (!rows.containsKey(tuple)) {
                            rest.add(k);
                        }
                    });
                }
                if (!rest.isEmpty()) {
                    rows.putAll(timer.time("plan.lookup", () -> store.rowsByTuple(spec, rest)));
                }
                existing.put(spec.name(), rows);
                String self = spec.selfReference();
                if (self != null) {
                    // the key of each stored target: a target the file names again resolved to the same id by that
                    // very key (a unique-key lookup), so only the others are read (a re-import mostly keeps its managers)
                    Map<String, Ref> named = fileTargets.get(spec.name());
                    Set<Long> targets = new HashSet<>();
                    for (Map.Entry<String, Map<String, Object>> row : rows.entrySet()) {
                        if (row.getValue().get(self) instanceof Long id) {
                            Ref r = named.get(row.getKey());
                            if (r != null && id.equals(resolved.get(r))) {
                                selfKeys.put(id, Keys.of(r));
                            } else {
                                targets.add(id);
                            }
                        }
                    }
                    targets.removeAll(selfKeys.keySet());
                    selfKeys.putAll(timer.time("plan.lookup.self", () -> CycleGraph.keysOf(store, spec, targets)));
                }
            }
            return new Lookup(resolved, existing, selfKeys);
        } finally {
            if (order != null) {
                order.finish(seq);
            }
        }
    }

    /** Plans one chunk with what {@link #lookup} read for exactly this chunk. */
    void plan(List<Mapped> chunk, Lookup lookup) {
        Map<Ref, Long> resolved = lookup.resolved();
        seq = order.next();
        skipped.clear();

        // references that exist neither in the database nor in this run make the whole CSV row invalid
        List<Mapped> valid = new ArrayList<>(chunk.size());
        for (Mapped m : chunk) {
            List<ImportError> rowErrors = new ArrayList<>(0);
            for (TargetRow t : m.targets()) {
                checkRefs(m, t, t.key(), resolved, rowErrors);
                checkRefs(m, t, t.values(), resolved, rowErrors);
                if (!m.rejected()) {
                    checkNewRow(m, t, lookup, rowErrors);
                }
            }
            if (m.rejected()) {
                continue; // counted and written to the rejects when it was found invalid
            }
            if (rowErrors.isEmpty()) {
                valid.add(m);
            } else {
                result.counts().add("invalid");
                sink.invalid(m, rowErrors);
            }
        }

        // plan per table in dependency order
        Map<String, List<Object[]>> byTable = new LinkedHashMap<>();
        for (TableSpec spec : store.catalog().tables()) {
            for (Mapped m : valid) {
                for (TargetRow t : m.targets()) {
                    if (t.table().equals(spec.name())) {
                        byTable.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(new Object[] {m, t});
                    }
                }
            }
        }
        for (Map.Entry<String, List<Object[]>> e : byTable.entrySet()) {
            planTable(store.catalog().table(e.getKey()), e.getValue(), lookup);
        }
    }

    /**
     * Checks the references among {@code columns} of a target row: resolved in the database, or made
     * by this run (noted for the apply order), or missing, which is reported once per column and code.
     */
    private void checkRefs(Mapped m, TargetRow t, Map<String, Object> columns, Map<Ref, Long> resolved, List<ImportError> rowErrors) {
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            if (!(e.getValue() instanceof Ref r) || resolved.containsKey(r)) {
                continue;
            }
            int at = inRunAt(r);
            if (at >= 0) {
                if (!m.rejected()) {
                    noteForward(m, t, e.getKey(), at);
                }
                continue;
            }
            ImportError error = missing(m, t, e.getKey(), r);
            if (rowErrors.stream().noneMatch(x -> Objects.equals(x.column(), error.column()) && x.code().equals(error.code()))) {
                sink.error(error);
                rowErrors.add(error);
            }
        }
    }

    /**
     * A row that no stored row and no earlier file of the run has must give every column the
     * database needs a value for; a stored row may leave them blank, as a blank never erases.
     */
    private void checkNewRow(Mapped m, TargetRow t, Lookup lookup, List<ImportError> rowErrors) {
        List<String> needed = sink.requiredInNewRows(t.table());
        if (needed.isEmpty()) {
            return;
        }
        TableSpec spec = store.catalog().table(t.table());
        List<Object> k = RowStore.canonicalKey(spec, t.key(), lookup.resolved());
        if (k != null && lookup.existing().getOrDefault(spec.name(), Map.of()).containsKey(RowStore.tuple(k)) || createdByEarlierFile(spec, t)) {
            return;
        }
        for (String column : needed) {
            Object v = t.values().containsKey(column) ? t.values().get(column) : t.key().get(column);
            if (v == null || v instanceof String s && s.isBlank()) {
                String named = sink.csvColumn(t.table(), column);
                String csvColumn = named != null ? named : column;
                ImportError error = new ImportError(m.file(), m.line(), csvColumn, "required", "'" + csvColumn + "' is blank in a new row ("
                        + display(spec, t.key()) + " is not in " + spec.name() + " yet): column " + spec.name() + "." + column
                        + " is NOT NULL without a default; give a value");
                sink.error(error);
                rowErrors.add(error);
            }
        }
    }

    private void planTable(TableSpec spec, List<Object[]> rows, Lookup lookup) {
        Map<Ref, Long> resolved = lookup.resolved();
        Map<String, Map<String, Object>> existing = lookup.existing().getOrDefault(spec.name(), Map.of());
        CycleGraph.Chunk edges = cycles.chunk(spec);
        prefetchReplaced(spec, rows, existing, resolved);
        for (Object[] r : rows) {
            Mapped m = (Mapped) r[0];
            TargetRow t = (TargetRow) r[1];
            List<Object> k = RowStore.canonicalKey(spec, t.key(), resolved);
            Map<String, Object> old = k == null ? null : existing.get(RowStore.tuple(k));
            planRow(spec, m, t, old, resolved, edges);
        }
        edges.close(store, resolved, lookup.selfKeys());
    }

    /**
     * Reads, one query per referenced table, the keys of the stored rows this chunk's relationship
     * changes point away from: the plan lines name them.
     */
    private void prefetchReplaced(TableSpec spec, List<Object[]> rows, Map<String, Map<String, Object>> existing,
                                  Map<Ref, Long> resolved) {
        Map<String, Set<Long>> ids = new HashMap<>();
        for (Object[] r : rows) {
            TargetRow t = (TargetRow) r[1];
            List<Object> k = RowStore.canonicalKey(spec, t.key(), resolved);
            Map<String, Object> old = k == null ? null : existing.get(RowStore.tuple(k));
            if (old == null) {
                continue;
            }
            for (Map.Entry<String, Object> e : t.values().entrySet()) {
                if (e.getValue() instanceof Ref ref && !RowIds.pointsAtKeyed(spec.requireColumn(e.getKey()))
                        && old.get(e.getKey()) instanceof Long was && !was.equals(resolved.get(ref))) {
                    ids.computeIfAbsent(ref.table(), x -> new HashSet<>()).add(was);
                }
            }
        }
        ids.forEach(storedKeys::prefetch);
    }

    /** A reference as the file names it, quoted: {@code 'Billing'}, {@code 'ENG/3'} for a ladder level. */
    static String keyText(Ref r) {
        return "'" + keyParts(r) + "'";
    }

    private static String keyParts(Ref r) {
        List<String> parts = new ArrayList<>();
        for (Object v : r.key()) {
            parts.add(v instanceof Ref n ? keyParts(n) : String.valueOf(v));
        }
        return String.join("/", parts);
    }

    private void planRow(TableSpec spec, Mapped m, TargetRow t, Map<String, Object> old, Map<Ref, Long> resolved,
                         CycleGraph.Chunk edges) {
        String keyDisplay = display(spec, t.key());
        Ref source = old == null && t.insertOnly() ? skippedSource(t) : null;
        if (source != null) {
            // a missing row derived from a skipped one (a snapshot of an event that exists and differs)
            count(spec, "skipped");
            digest(m, spec, t, "skipped", null);
            sink.line(new ImportResult.PlanLine(m.file(), m.line(), spec.name(), keyDisplay, "skipped",
                    "not inserted: its " + store.catalog().table(source.table()).noun() + " exists and is skipped; use --update-existing"));
            return;
        }
        if (old == null && createdByEarlierFile(spec, t)) {
            // an earlier file of this batch inserts the row (a leader created with --create-users): fill it in
            String action = t.values().isEmpty() || t.insertOnly() ? "unchanged" : "update";
            digest(m, spec, t, "merge-" + action, null);
            if ("update".equals(action)) {
                ObjectNode entry = entry(m, "merge");
                entry.set("key", RowCodec.values(store.catalog(), spec, t.key()));
                entry.set("set", RowCodec.values(store.catalog(), spec, t.values()));
                write(spec, entry);
                sink.line(new ImportResult.PlanLine(m.file(), m.line(), spec.name(), keyDisplay, action,
                        "completes the row created earlier in this run: " + describe(t.values())));
            }
            count(spec, action);
            edges.add(t, t.values(), null);
            return;
        }
        RowDecision decision = RowDecision.decide(spec, old, t, resolved, forceUpdate);
        if (decision instanceof Insert insert) {
            planInsert(spec, m, t, insert.values(), keyDisplay, edges);
        } else {
            planExisting(spec, m, t, old, decision, keyDisplay, edges);
        }
    }

    /** Writes the insert entry and its snapshot key; the plan line describes the file's values while lines are shown. */
    private void planInsert(TableSpec spec, Mapped m, TargetRow t, Map<String, Object> values, String keyDisplay,
                            CycleGraph.Chunk edges) {
        ObjectNode entry = entry(m, "insert");
        entry.set("values", RowCodec.values(store.catalog(), spec, values));
        write(spec, entry);
        if (pre != null) {
            ObjectNode p = JSON.objectNode();
            p.put("table", spec.name());
            p.put("op", "insert");
            p.set("key", RowCodec.values(store.catalog(), spec, t.key()));
            writePre(p);
        }
        count(spec, "insert");
        digest(m, spec, t, "insert", null);
        edges.add(t, values, null);
        // the inserted values are the CSV row itself: describe them only where they are shown
        sink.line(new ImportResult.PlanLine(m.file(), m.line(), spec.name(), keyDisplay, "insert",
                result.plan().size() < ImportResult.DISPLAY_LIMIT ? describe(t.values()) : ""));
    }

    /**
     * Plans a row that exists: writes the update entry and the pre-image of its changes, counts the
     * decision (and each relationship kept, also in a row whose other changes are applied; a skipped
     * row's are not counted), and shows every decision but {@code unchanged} with its differences.
     */
    private void planExisting(TableSpec spec, Mapped m, TargetRow t, Map<String, Object> old, RowDecision decision,
                              String keyDisplay, CycleGraph.Chunk edges) {
        Map<String, Object> changes = decision instanceof Update update ? update.changes() : Map.of();
        if (decision instanceof Skipped) {
            skipped.add(new Ref(spec.name(), new ArrayList<>(t.key().values())));
        }
        if (!changes.isEmpty()) {
            writeUpdate(spec, m, old, changes);
        }
        if (!(decision instanceof Kept)) {
            count(spec, decision.action());
        }
        if (!(decision instanceof Skipped)) {
            decision.keptColumns().forEach(column -> count(spec, "kept"));
        }
        digest(m, spec, t, decision.action(), old);
        edges.add(t, changes, old);
        if (!(decision instanceof Unchanged)) {
            String detail = detail(decision.differences());
            sink.line(new ImportResult.PlanLine(m.file(), m.line(), spec.name(), keyDisplay, decision.action(),
                    decision instanceof Skipped ? "exists; differs (" + detail + "); use --update-existing" : detail));
        }
    }

    private void writeUpdate(TableSpec spec, Mapped m, Map<String, Object> old, Map<String, Object> changes) {
        ObjectNode entry = entry(m, "update");
        entry.put("id", (Long) old.get("id"));
        entry.set("set", RowCodec.values(store.catalog(), spec, changes));
        entry.set("pre", RowCodec.row(spec, old));
        write(spec, entry);
        if (pre != null) {
            ObjectNode p = JSON.objectNode();
            p.put("table", spec.name());
            p.put("op", "update");
            p.put("id", (Long) old.get("id"));
            p.set("row", RowCodec.row(spec, old));
            writePre(p);
        }
    }

    /** The differences as a plan line tells them, {@code ; }-separated. */
    private String detail(List<Difference> differences) {
        StringBuilder detail = new StringBuilder();
        for (Difference d : differences) {
            append(detail, explain(d));
        }
        return detail.toString();
    }

    /**
     * One difference in the operator's words: a value by itself, a relationship by the key of the
     * row it points at ({@code team: 'Payments' -> 'Platform'}), a kept one with the flag that changes it.
     */
    private String explain(Difference d) {
        ColumnSpec c = d.column();
        if (!(d.file() instanceof Ref ref)) {
            return c.name() + ": " + quote(d.stored()) + " -> " + quote(d.file());
        }
        if (d.stored() == null) {
            return label(c) + ": (none) -> " + keyText(ref);
        }
        // a reference to a surrogate key is shown by the key of the row it points at; one to a natural key is that key
        String stored = d.stored() instanceof Long id && !RowIds.pointsAtKeyed(c) ? "'" + storedKeys.keyOf(ref.table(), id) + "'"
                : "'" + d.stored() + "'";
        return d.kept()
                ? label(c) + ": kept " + stored + " (file says " + keyText(ref) + "; use --force-update)"
                : label(c) + ": " + stored + " -> " + keyText(ref);
    }

    /** The skipped insert-only row of this chunk that a key column of {@code t} points at, or {@code null}. */
    private Ref skippedSource(TargetRow t) {
        if (skipped.isEmpty()) {
            return null;
        }
        for (Object v : t.key().values()) {
            if (v instanceof Ref r && skipped.contains(r)) {
                return r;
            }
        }
        return null;
    }

    private void digest(Mapped m, TableSpec spec, TargetRow t, String action, Map<String, Object> read) {
        if (digest != null) {
            digest.row(m.file(), m.line(), spec, Keys.of(spec, t.key()), action, read);
        }
    }

    private void count(TableSpec spec, String action) {
        result.counts().add(action);
        result.table(spec.name()).add(action);
    }

    private ObjectNode entry(Mapped m, String op) {
        ObjectNode entry = JSON.objectNode();
        entry.put("file", m.file());
        entry.put("line", m.line());
        entry.put("seq", seq);
        entry.put("op", op);
        return entry;
    }

    private void write(TableSpec spec, ObjectNode entry) {
        JsonLines.Writer w = planFile.apply(spec.name());
        if (w == null) {
            return; // a dry-run: nothing will be applied
        }
        try {
            w.write(entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writePre(ObjectNode node) {
        try {
            pre.write(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean createdByEarlierFile(TableSpec spec, TargetRow t) {
        if (fileIndex == 0) {
            return false; // the first file of a run has no earlier one
        }
        KeySet set = pending.get(spec.name());
        int prior = set == null ? -1 : set.get(Keys.hash(Keys.of(spec, t.key())), -1);
        return prior >= 0 && (prior >>> ImportPipeline.LINE_BITS) < fileIndex;
    }

    /** A required reference to a row this run creates on a later line ({@code at}, see {@link #inRunAt}) rules out applying chunk by chunk. */
    private void noteForward(Mapped m, TargetRow t, String column, int at) {
        TableSpec spec = store.catalog().table(t.table());
        boolean required = t.key().containsKey(column) || !spec.requireColumn(column).nullable();
        if (!required || !order.byChunk()) {
            return;
        }
        int file = at >>> ImportPipeline.LINE_BITS;
        long line = at & ((1 << ImportPipeline.LINE_BITS) - 1);
        if (file > fileIndex || (file == fileIndex && line > m.line())) {
            order.forward(m.file() + ":" + m.line() + " " + column + " -> line " + line);
        }
    }

    /** Where this run has the referenced row ({@code file << LINE_BITS | line} of its first mention), or -1. */
    private int inRunAt(Ref r) {
        KeySet set = pending.get(r.table());
        return set == null ? -1 : set.get(Keys.hash(Keys.of(r)), -1);
    }

    private ImportError missing(Mapped m, TargetRow t, String column, Ref r) {
        TableSpec target = store.catalog().table(r.table());
        String base = column.endsWith("_id") ? column.substring(0, column.length() - 3) : column;
        String code = "unknown_" + base;
        String advice = sink.missingReferenceAdvice(t.table(), column);
        String where;
        if (advice != null) {
            where = ": " + advice;
        } else if (r.table().equals(currentTable)) {
            where = " in the database or in this file; add them to the file or import them first";
        } else {
            where = ": import it with `" + target.createdBy() + "` first";
        }
        String named = sink.csvColumn(t.table(), column);
        String noun = sink.referenceNoun(t.table(), column);
        return new ImportError(m.file(), m.line(), named != null ? named : base, code,
                (noun != null ? noun : target.noun()) + " " + r.display() + " does not exist" + where);
    }

    private static void collectRefs(TargetRow t, Set<Ref> refs) {
        for (Object v : t.key().values()) {
            if (v instanceof Ref r) {
                refs.add(r);
            }
        }
        for (Object v : t.values().values()) {
            if (v instanceof Ref r) {
                refs.add(r);
            }
        }
    }

    /** A target row's key as the plan shows it, its parts in the order of the table's key columns. */
    static String display(TableSpec spec, Map<String, Object> key) {
        List<String> parts = new ArrayList<>();
        // the table's order, not the map's: a key map's iteration order is the importer's business
        for (String column : spec.key()) {
            Object v = key.get(column);
            parts.add(v instanceof Ref r ? r.display().replace("'", "") : String.valueOf(v));
        }
        return String.join("/", parts);
    }

    private static String describe(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            append(sb, (e.getValue() instanceof Ref r ? e.getKey().replaceAll("_id$", "") + "=" + keyText(r)
                    : e.getKey() + "=" + quote(e.getValue())));
        }
        return sb.toString();
    }

    private static String label(ColumnSpec c) {
        return c.name().replaceAll("_id$", "");
    }

    private static void append(StringBuilder sb, String s) {
        if (sb.length() > 0) {
            sb.append("; ");
        }
        sb.append(s);
    }

    private static String quote(Object v) {
        return v == null ? "(none)" : "\"" + v + "\"";
    }
}
