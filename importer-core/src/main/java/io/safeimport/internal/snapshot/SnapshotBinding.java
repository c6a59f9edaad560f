package io.safeimport.internal.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.safeimport.internal.run.RunStore;

/**
 * Whether a snapshot folder really is the snapshot of the run a database recorded for it. Its
 * files' SHA-256 sums sit in its manifest, beside them: whoever can write the folder can recompute
 * them, so a sound snapshot proves nothing about whose it is. The proof is in the database: the
 * run records the SHA-256 of the manifest it committed with ({@code safeimport_run.manifest_sha256})
 * in the same transaction as its writes, and the manifest names the snapshot and the run.
 */
public final class SnapshotBinding {
    private SnapshotBinding() {
    }

    /**
     * The reasons snapshot {@code id} is not the one the run this database records for it
     * committed with; empty when it is. Empty {@code Optional} when no run of this database is
     * protected by it (another database's snapshot, or a run that never committed).
     */
    public static Optional<List<String>> inDatabase(RunStore runs, SnapshotStore store, String id) {
        Optional<RunStore.Run> run = runs.findBySnapshot(id);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        String runId = run.get().runId();
        return Optional.of(problems(id, store.manifest(id), store.manifestSha256(id), runId, runs.manifestSha256(runId).orElse(null)));
    }

    /**
     * The reasons the snapshot in folder {@code id} is not the one {@code runId} committed with; empty when it is.
     *
     * @param manifest       the folder's manifest
     * @param manifestSha256 the SHA-256 of the folder's {@code manifest.json}
     * @param runId          the run this database records as protected by snapshot {@code id}
     * @param recordedSha256 the manifest SHA-256 that run committed with, or {@code null} for a run
     *                       recorded before runs were bound to their snapshots
     */
    public static List<String> problems(String id, ObjectNode manifest, String manifestSha256, String runId, String recordedSha256) {
        List<String> problems = new ArrayList<>();
        String named = manifest.path("snapshot_id").asText(null);
        if (!id.equals(named)) {
            problems.add("its manifest.json belongs to snapshot " + named + ", not " + id + ": the folder was replaced");
        }
        String namedRun = manifest.path("run_id").asText(null);
        if (namedRun != null && !namedRun.equals(runId)) {
            problems.add("its manifest.json names run " + namedRun + ", but this database records run " + runId
                    + " as protected by snapshot " + id);
        }
        if (recordedSha256 != null && !recordedSha256.equals(manifestSha256)) {
            problems.add("its manifest.json is not the one run " + runId + " committed with (SHA-256 " + manifestSha256
                    + ", recorded " + recordedSha256 + "): the snapshot was changed or replaced after the run");
        }
        return problems;
    }
}
