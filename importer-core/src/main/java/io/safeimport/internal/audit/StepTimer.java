package io.safeimport.internal.audit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Adds up where a run spends its time (reading, database lookups, writes, checks), for the audit
 * log's closing {@code timings} line: what an operator needs to see why a large import was slow.
 * One per run; safe to add to from several threads (planning reads ahead on a second one).
 */
public final class StepTimer {
    private final Map<String, long[]> totals = new LinkedHashMap<>();

    /** Runs {@code work} and adds its duration to {@code name}. */
    public <T> T time(String name, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(name, System.nanoTime() - start);
        }
    }

    /** Runs {@code work} and adds its duration to {@code name}. */
    public void run(String name, Runnable work) {
        long start = System.nanoTime();
        try {
            work.run();
        } finally {
            add(name, System.nanoTime() - start);
        }
    }

    public synchronized void add(String name, long nanos) {
        long[] t = totals.computeIfAbsent(name, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
    }

    /** {@code plan.lookup=1.234s/100 apply.insert=...}. */
    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder();
        totals.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.3fs", v[0] / 1e9)).append('/').append(v[1]));
        return sb.toString();
    }
}
