package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The plain progress line for logs: phase, rows, share, rate and time left, every few seconds. */
class ProgressReporterTest {

    @Test
    void theLineSaysRowsRateAndTimeLeft() {
        assertEquals("safeimport: plan users.csv: 420,000 of 1,000,000 rows (42%), 52,500 rows/s, about 11 s left",
                ProgressReporter.Plain.line("plan users.csv", 420_000, 1_000_000, 8_000));
        assertEquals("safeimport: apply: 1,000 rows, 500 rows/s", ProgressReporter.Plain.line("apply", 1_000, -1, 2_000));
        assertEquals("safeimport: validate users.csv: 0 of 10 rows (0%)", ProgressReporter.Plain.line("validate users.csv", 0, 10, 0));
    }

    @Test
    void aLineEveryFiveSecondsWithTheRateOfTheCurrentPhase() {
        StringWriter out = new StringWriter();
        AtomicLong now = new AtomicLong(1_000_000);
        ProgressReporter.Plain p = new ProgressReporter.Plain(new PrintWriter(out), now::get);
        p.progress("validate f.csv", 1_000, 100_000);
        now.addAndGet(4_000);
        p.progress("validate f.csv", 40_000, 100_000); // under five seconds since the start: quiet
        now.addAndGet(1_000);
        p.progress("validate f.csv", 50_000, 100_000);
        now.addAndGet(1_000);
        p.progress("plan f.csv", 1_000, 100_000); // a new phase: its rate counts from here
        now.addAndGet(5_000);
        p.progress("plan f.csv", 26_000, 100_000);
        assertEquals(List.of(
                "safeimport: validate f.csv: 50,000 of 100,000 rows (50%), 10,000 rows/s, about 5 s left",
                "safeimport: plan f.csv: 26,000 of 100,000 rows (26%), 5,200 rows/s, about 14 s left"),
                out.toString().lines().toList());
    }

    @Test
    void aPhaseThatReportsNoRowsStillGetsALineEveryFiveSeconds() {
        StringWriter out = new StringWriter();
        AtomicLong now = new AtomicLong(1_000_000);
        ProgressReporter.Plain p = new ProgressReporter.Plain(new PrintWriter(out), now::get);
        p.progress("checks after", 0, -1); // one long statement: no further calls until it ends
        for (int second = 1; second <= 12; second++) {
            now.addAndGet(1_000);
            p.tick();
        }
        assertEquals(List.of("safeimport: checks after: running for 5 s", "safeimport: checks after: running for 10 s"),
                out.toString().lines().toList());
    }
}
