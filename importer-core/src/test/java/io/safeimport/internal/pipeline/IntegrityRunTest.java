package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Severity;
import io.safeimport.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which checks an import leaves to the database's foreign keys, and that the others still judge the run. */
class IntegrityRunTest {

    /** A check that finds nothing and counts how often it ran (other tests override {@link #run}). */
    static class Probe implements IntegrityCheck {
        final String code;
        final String column;
        int runs;

        Probe(String code, String column) {
            this.code = code;
            this.column = column;
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
            return "probe";
        }

        @Override
        public void run(Handle handle, Consumer<Finding> findings) {
            runs++;
        }

        @Override
        public String foreignKeyColumn() {
            return column;
        }
    }

    private static List<String> guarded(TestDatabase db, boolean foreignKeyChecks, Probe... probes) {
        try (Handle h = db.database().open()) {
            if (!foreignKeyChecks) {
                h.execute("SET foreign_key_checks = 0");
            }
            IntegrityRun run = new IntegrityRun(List.of(probes), new StepTimer());
            run.before(h, db.database().dialect());
            run.introduced(h);
            List<String> out = new ArrayList<>();
            run.guardedByForeignKeys().forEach(c -> out.add(c.code()));
            return out;
        }
    }

    @Test
    void onMariaDbAnEnforcedForeignKeyTakesOverOnlyItsOwnColumn() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            Probe manager = new Probe("manager_missing", "manager_id");
            Probe title = new Probe("title_dangles", "title");
            Probe plain = new Probe("plain", null);
            assertEquals(List.of("manager_missing"), guarded(db, true, manager, title, plain));
            assertEquals(0, manager.runs, "an enforced foreign key rules out what the check looks for");
            assertEquals(2, title.runs, "no foreign key on title: the check runs before and after");
            assertEquals(2, plain.runs);
        }
    }

    @Test
    void withForeignKeyChecksOffEveryCheckRuns() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            Probe manager = new Probe("manager_missing", "manager_id");
            assertEquals(List.of(), guarded(db, false, manager));
            assertEquals(2, manager.runs, "writes with foreign key checks off can leave dangling ids: the check must judge them");
        }
    }

    @ParameterizedTest
    @MethodSource("io.safeimport.testing.TestDatabase#kinds")
    void aDatabaseThatCannotTellRunsEveryCheck(String kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Probe manager = new Probe("manager_missing", "manager_id");
            List<String> guarded = guarded(db, true, manager);
            if (TestDatabase.H2.equals(kind)) {
                assertEquals(List.of(), guarded, "H2 does not report its enforcement: nothing is left out");
                assertEquals(2, manager.runs);
            } else {
                assertEquals(List.of("manager_missing"), guarded);
            }
        }
    }
}
