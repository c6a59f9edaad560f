package io.safeimport.validators.checks;

import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Severity;
import io.safeimport.spi.SqlDialect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Users on a cycle of managers (A manages B manages A), self-managers excluded (they have their own
 * check). The manager relation is a functional graph (each user has at most one manager), so one
 * pass over {@code (id, manager_id)} pairs in id order, held in primitive arrays ({@link IdPairs},
 * 16 bytes per managed user), finds every cycle in linear time.
 *
 * <p>Why not {@code WITH RECURSIVE}: H2 2.2 materialises a recursive common table expression as a
 * view, and when that happens inside a transaction the view can outlive it and be written into the
 * database file ("View ... already exists" on the next connection, h2database issue 3527). The
 * embedded default must never be damaged by a read-only check.
 */
public final class ManagerCycles implements IntegrityCheck {
    private final String code;

    public ManagerCycles(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public String table() {
        return "app_user";
    }

    @Override
    public String description() {
        return "Users whose chain of managers loops back to them.";
    }

    @Override
    public void run(Handle handle, SqlDialect dialect, Consumer<Finding> findings) {
        IdPairs pairs = new IdPairs();
        handle.createQuery("SELECT id, manager_id FROM app_user WHERE manager_id IS NOT NULL AND manager_id <> id ORDER BY id")
                .setFetchSize(dialect.streamingFetchSize())
                .map((rs, ctx) -> {
                    pairs.add(rs.getLong(1), rs.getLong(2));
                    return Boolean.TRUE;
                })
                .forEach(x -> { });
        int size = pairs.size();
        byte[] state = new byte[size]; // 0 new, 1 on the current walk, 2 finished
        List<Long> cyclic = new ArrayList<>();
        Map<Long, Integer> cycleSize = new HashMap<>();
        int[] walk = new int[16];
        for (int start = 0; start < size; start++) {
            if (state[start] != 0) {
                continue;
            }
            int len = 0;
            int cur = start;
            while (cur >= 0 && state[cur] == 0) {
                state[cur] = 1;
                if (len == walk.length) {
                    walk = Arrays.copyOf(walk, len * 2);
                }
                walk[len++] = cur;
                cur = pairs.indexOf(pairs.target(cur));
            }
            if (cur >= 0 && state[cur] == 1) {
                // the walk ran into itself: everything from cur onwards is the cycle
                int from = 0;
                while (walk[from] != cur) {
                    from++;
                }
                for (int i = from; i < len; i++) {
                    cyclic.add(pairs.id(walk[i]));
                    cycleSize.put(pairs.id(walk[i]), len - from);
                }
            }
            for (int i = 0; i < len; i++) {
                state[walk[i]] = 2;
            }
        }
        if (cyclic.isEmpty()) {
            return;
        }
        Map<Long, String> emails = new LinkedHashMap<>();
        for (int from = 0; from < cyclic.size(); from += 1000) {
            handle.createQuery("SELECT id, email FROM app_user WHERE id IN (<ids>)")
                    .bindList("ids", cyclic.subList(from, Math.min(cyclic.size(), from + 1000)))
                    .map((rs, ctx) -> {
                        String email = rs.getString(2);
                        if (email != null && !email.isBlank()) {
                            // a blank email is keyed #<id>, as every other user check keys it
                            emails.put(rs.getLong(1), email);
                        }
                        return Boolean.TRUE;
                    })
                    .forEach(x -> { });
        }
        cyclic.stream().sorted(Comparator.comparing((Long id) -> emails.getOrDefault(id, "#" + id))).forEach(id -> {
            String key = emails.getOrDefault(id, "#" + id);
            findings.accept(new Finding(code, Severity.ERROR, "app_user", key, "User " + key + " is in a manager cycle of "
                    + cycleSize.get(id) + " people: following their managers leads back to them."));
        });
    }
}
