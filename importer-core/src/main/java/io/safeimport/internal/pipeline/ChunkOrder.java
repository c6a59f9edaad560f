package io.safeimport.internal.pipeline;

/**
 * The order a run's plan can be applied in. Planning numbers its chunks ({@code seq} in every plan
 * entry). When no required reference of any row points at a row that comes later in the files,
 * the plan can be applied chunk by chunk, every table of a chunk in dependency order, instead of
 * table by table over the whole run: a history row's event and its derived snapshots then go in
 * together, and the snapshots find their event among the rows just inserted instead of in a
 * million-row table. A required reference to a later line (a level above its ladder in
 * ladders.csv) needs the whole referenced table first: the run then applies table by table.
 */
final class ChunkOrder {
    private long seq;
    private String forward;

    /** Starts the next chunk of planning; returns its number. */
    long next() {
        return ++seq;
    }

    /** A required reference of {@code where} points at a row later in the files. */
    void forward(String where) {
        if (forward == null) {
            forward = where;
        }
    }

    /** Whether the plan may be applied chunk by chunk. */
    boolean byChunk() {
        return forward == null;
    }

    /** Why it may not, or {@code null}. */
    String why() {
        return forward == null ? null : "a required reference points at a later line (" + forward + ")";
    }
}
