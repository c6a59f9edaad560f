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
        return System.console() != null ? new Bar() : new Plain(err);
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
                bar = new ProgressBarBuilder().setTaskName(phase).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).showSpeed().continuousUpdate().build();
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

    /** A line every few seconds. */
    private static final class Plain extends ProgressReporter {
        private final PrintWriter err;
        private long last = System.currentTimeMillis();
        private final long start = System.currentTimeMillis();

        Plain(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void progress(String phase, long done, long total) {
            long now = System.currentTimeMillis();
            if (now - last < PLAIN_INTERVAL_MS) {
                return;
            }
            last = now;
            String pct = total > 0 ? String.format(" (%d%%)", done * 100 / total) : "";
            err.printf("safeimport: %s: %d%s after %ds%n", phase, done, pct, (now - start) / 1000);
            err.flush();
        }

        @Override
        public void close() {
        }
    }
}
