package io.safeimport.internal.pipeline;

import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Integrity checks run before and after an import's writes, inside its transaction. The import is
 * blamed only for findings that were not there before: pre-existing dirty data is reported, not
 * held against the run.
 */
final class IntegrityRun {
    private final List<IntegrityCheck> checks;
    private Set<String> before;

    IntegrityRun(List<IntegrityCheck> checks) {
        Map<String, IntegrityCheck> unique = new LinkedHashMap<>();
        for (IntegrityCheck c : checks) {
            unique.putIfAbsent(c.code(), c);
        }
        this.checks = new ArrayList<>(unique.values());
    }

    void before(Handle h) {
        before = new HashSet<>();
        for (IntegrityCheck c : checks) {
            c.run(h, f -> before.add(f.identity()));
        }
    }

    /** Findings present now that were not present before. */
    List<Finding> introduced(Handle h) {
        List<Finding> out = new ArrayList<>();
        for (IntegrityCheck c : checks) {
            c.run(h, f -> {
                if (!before.contains(f.identity())) {
                    out.add(f);
                }
            });
        }
        return out;
    }

    /** How many findings were already there before the run. */
    int preExisting() {
        return before == null ? 0 : before.size();
    }
}
