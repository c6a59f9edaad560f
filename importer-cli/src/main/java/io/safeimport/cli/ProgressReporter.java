package io.safeimport.cli;

import io.safeimport.api.ProgressListener;
import io.safeimport.internal.io.Printable;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on stderr: a live bar (phase, amount, rate, ETA) on a terminal, else a plain line every
 * few seconds, so long runs in CI logs show where they are. Silent when disabled.
 */
abstract class ProgressReporter implements ProgressListener, AutoCloseable {
    private static final long PLAIN_INTERVAL_MS = 5000;

    static ProgressReporter create(PrintWriter err, boolean enabled) {
        return create(err, enabled, false);
    }

    /**
     * Like {@link #create(PrintWriter, boolean)}; with {@code announcePhases}, the plain lines also
     * say when each phase begins (for runs of a few long phases, such as a rollback), so a log
     * shows at once which phase a slow run is in.
     */
    static ProgressReporter create(PrintWriter err, boolean enabled, boolean announcePhases) {
        if (!enabled) {
            return new ProgressReporter() {
                @Override
                public void progress(String phase, long done, long total) {
                }

                @Override
                public void close() {
                }
            };
        }
        return System.console() != null ? new Bar() : new Plain(err, System::currentTimeMillis, announcePhases, true);
    }

    @Override
    public abstract void close();

    /** A live bar per phase (me.tongfei progressbar). */
    private static final class Bar extends ProgressReporter {
        private ProgressBar bar;
        private String phase;

        @Override
        public void progress(String phase, long done, long total) {
            if (!phase.equals(this.phase)) {
                close();
                this.phase = phase;
                bar = new ProgressBarBuilder().setTaskName(Printable.escape(phase)).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" rows", 1).setUpdateIntervalMillis(250).showSpeed().continuousUpdate().build();
            }
            if (total > 0) {
                bar.maxHint(total);
            }
            bar.stepTo(done);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    /**
     * A line every few seconds: {@code safeimport: plan users.csv: 420,000 of 1,000,000 rows (42%),
     * 52,000 rows/s, about 11 s left}. A phase that reports no rows for a while (an integrity check,
     * writing and verifying a snapshot, a commit: one long statement) still gets its line every few
     * seconds from a heartbeat ({@link #tick}), {@code safeimport: checks after: running for 12 s}.
     */
    static final class Plain extends ProgressReporter {
        private final PrintWriter err;
        private final LongSupplier clock;
        private final ScheduledExecutorService heartbeat;
        private final boolean announcePhases;
        private long last;
        private String phase;
        private long phaseStart;
        private long done;
        private long total;

        Plain(PrintWriter err) {
            this(err, System::currentTimeMillis, false, true);
        }

        Plain(PrintWriter err, LongSupplier clock) {
            this(err, clock, false, false);
        }

        /** Without the heartbeat thread: the test calls {@link #tick} itself. */
        Plain(PrintWriter err, LongSupplier clock, boolean announcePhases) {
            this(err, clock, announcePhases, false);
        }

        Plain(PrintWriter err, LongSupplier clock, boolean announcePhases, boolean beat) {
            this.err = err;
            this.clock = clock;
            this.announcePhases = announcePhases;
            this.last = clock.getAsLong();
            if (beat) {
                heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "safeimport-progress");
                    t.setDaemon(true);
                    return t;
                });
                heartbeat.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
            } else {
                heartbeat = null;
            }
        }

        @Override
        public synchronized void progress(String phase, long done, long total) {
            long now = clock.getAsLong();
            this.done = done;
            this.total = total;
            if (!phase.equals(this.phase)) {
                this.phase = phase;
                phaseStart = now;
                if (announcePhases) {
                    last = now;
                    err.println(line(phase, done, total, 0));
                    err.flush();
                    return;
                }
            }
            if (now - last < PLAIN_INTERVAL_MS) {
                return;
            }
            print(now);
        }

        /** Prints the current phase's line if none was printed for a while (called every second). */
        synchronized void tick() {
            long now = clock.getAsLong();
            if (phase != null && now - last >= PLAIN_INTERVAL_MS) {
                print(now);
            }
        }

        private void print(long now) {
            last = now;
            err.println(line(phase, done, total, now - phaseStart));
            err.flush();
        }

        static String line(String phase, long done, long total, long elapsedMillis) {
            StringBuilder sb = new StringBuilder("safeimport: ").append(Printable.escape(phase)).append(": ");
            if (done == 0 && total < 0) {
                return sb.append("running for ").append(elapsedMillis / 1000).append(" s").toString();
            }
            sb.append(String.format(Locale.ROOT, "%,d", done));
            if (total > 0) {
                sb.append(String.format(Locale.ROOT, " of %,d rows (%d%%)", total, Math.min(100, done * 100 / total)));
            } else {
                sb.append(" rows");
            }
            if (elapsedMillis > 0 && done > 0) {
                double perSecond = done * 1000.0 / elapsedMillis;
                sb.append(String.format(Locale.ROOT, ", %,d rows/s", Math.round(perSecond)));
                if (total > done) {
                    sb.append(String.format(Locale.ROOT, ", about %d s left", Math.round((total - done) / perSecond)));
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
            if (heartbeat != null) {
                heartbeat.shutdownNow();
            }
        }
    }
}
