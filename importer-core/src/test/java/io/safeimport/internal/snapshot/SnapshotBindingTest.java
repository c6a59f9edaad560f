package io.safeimport.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a snapshot folder is the one its run committed with: each way it can fail to be. */
class SnapshotBindingTest {
    private static final String ID = "20261203T120000Z-users-aaaaaa";
    private static final String SHA = "a".repeat(64);

    private static ObjectNode manifest(String snapshot, String run) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("snapshot_id", snapshot);
        m.put("run_id", run);
        return m;
    }

    @Test
    void theManifestItsRunCommittedWithIsBound() {
        assertEquals(List.of(), SnapshotBinding.problems(ID, manifest(ID, ID), SHA, ID, SHA));
    }

    @Test
    void aRunRecordedBeforeBindingIsJudgedByItsManifestsNamesOnly() {
        assertEquals(List.of(), SnapshotBinding.problems(ID, manifest(ID, ID), SHA, ID, null));
        assertEquals(1, SnapshotBinding.problems(ID, manifest("20261203T120000Z-users-bbbbbb", ID), SHA, ID, null).size());
    }

    @Test
    void anotherSnapshotsManifestIsRefused() {
        List<String> p = SnapshotBinding.problems(ID, manifest("20261203T110000Z-users-bbbbbb", ID), SHA, ID, SHA);
        assertTrue(p.get(0).contains("belongs to snapshot 20261203T110000Z-users-bbbbbb"), p.toString());
    }

    @Test
    void aManifestNamingAnotherRunIsRefused() {
        List<String> p = SnapshotBinding.problems(ID, manifest(ID, "20261203T110000Z-users-bbbbbb"), SHA, ID, SHA);
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("names run 20261203T110000Z-users-bbbbbb"), p.toString());
    }

    @Test
    void aManifestWithAnotherHashIsRefused() {
        List<String> p = SnapshotBinding.problems(ID, manifest(ID, ID), "b".repeat(64), ID, SHA);
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("is not the one run " + ID + " committed with"), p.toString());
    }
}
