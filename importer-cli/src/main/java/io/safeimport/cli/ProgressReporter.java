package io.safeimport.cli;

import io.safeimport.api.ProgressListener;
import java.io.PrintWriter;
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
        return System.console() != null ? new Bar() : new Plain(err, System::currentTimeMillis, announcePhases);
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
                bar = new ProgressBarBuilder().setTaskName(io.safeimport.internal.io.Printable.escape(phase)).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
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

    /** A line every few seconds: {@code safeimport: plan users.csv: 420,000 of 1,000,000 rows (42%), 52,000 rows/s, about 11 s left}. */
    static final class Plain extends ProgressReporter {
        private final PrintWriter err;
        private final java.util.function.LongSupplier clock;
        private final boolean announcePhases;
        private long last;
        private String phase;
        private long phaseStart;

        Plain(PrintWriter err) {
            this(err, System::currentTimeMillis);
        }

        Plain(PrintWriter err, java.util.function.LongSupplier clock) {
            this(err, clock, false);
        }

        Plain(PrintWriter err, java.util.function.LongSupplier clock, boolean announcePhases) {
            this.err = err;
            this.clock = clock;
            this.announcePhases = announcePhases;
            this.last = clock.getAsLong();
        }

        @Override
        public void progress(String phase, long done, long total) {
            long now = clock.getAsLong();
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
            last = now;
            err.println(line(phase, done, total, now - phaseStart));
            err.flush();
        }

        static String line(String phase, long done, long total, long elapsedMillis) {
            StringBuilder sb = new StringBuilder("safeimport: ").append(io.safeimport.internal.io.Printable.escape(phase)).append(": ").append(String.format(java.util.Locale.ROOT, "%,d", done));
            if (total > 0) {
                sb.append(String.format(java.util.Locale.ROOT, " of %,d rows (%d%%)", total, Math.min(100, done * 100 / total)));
            } else {
                sb.append(" rows");
            }
            if (elapsedMillis > 0 && done > 0) {
                double perSecond = done * 1000.0 / elapsedMillis;
                sb.append(String.format(java.util.Locale.ROOT, ", %,d rows/s", Math.round(perSecond)));
                if (total > done) {
                    sb.append(String.format(java.util.Locale.ROOT, ", about %d s left", Math.round((total - done) / perSecond)));
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
        }
    }
}
