package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Severity;
import io.safeimport.spi.SqlDialect;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

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
        public void run(Handle handle, SqlDialect dialect, Consumer<Finding> findings) {
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

    @EveryDatabase
    void aDatabaseThatCannotTellRunsEveryCheck(TestDatabase db) {
        Probe manager = new Probe("manager_missing", "manager_id");
        List<String> guarded = guarded(db, true, manager);
        if (TestDatabase.H2.equals(db.kind())) {
            assertEquals(List.of(), guarded, "H2 does not report its enforcement: nothing is left out");
            assertEquals(2, manager.runs);
        } else {
            assertEquals(List.of("manager_missing"), guarded);
        }
    }
    /** A per-row check as the validators write one: its own query, and the same as a {@link RowFilter}. */
    static final class RowProbe extends Probe {
        private final RowFilter filter;

        RowProbe(String code, String condition, String... columns) {
            super(code, null);
            filter = new RowFilter(List.of(columns), condition, "u.email, u.id",
                    row -> new Finding(code, Severity.ERROR, "app_user", row.getString("email"), code + " " + row.getString("email")));
        }

        @Override
        public void run(Handle handle, SqlDialect dialect, Consumer<Finding> findings) {
            runs++;
            handle.createQuery(filter.query("app_user")).map((rs, ctx) -> filter.describe(rs)).forEach(findings);
        }

        @Override
        public RowFilter rowFilter() {
            return filter;
        }
    }

    @EveryDatabase
    void rowFiltersOfOneTableRunAsOneScanAndFindWhatEachFindsAlone(TestDatabase db) {
        try (Handle h = db.database().open()) {
            RowProbe blankTitle = new RowProbe("blank_title", "COALESCE(TRIM(u.title), '') = ''", "u.id", "u.email", "u.title");
            RowProbe selfManager = new RowProbe("self_manager", "u.manager_id = u.id", "u.id", "u.email");
            RowProbe inactive = new RowProbe("inactive", "u.active = FALSE", "u.email");
            Probe plain = new Probe("plain", null);
            List<IntegrityCheck> checks = List.of(blankTitle, plain, selfManager, inactive);
            h.execute("INSERT INTO app_user (email, first_name, last_name, title, active) VALUES"
                    + " ('old.blank@acme.example', 'Old', 'Blank', ' ', TRUE), ('clean@acme.example', 'Clean', 'User', 'Engineer', TRUE)");
            IntegrityRun run = new IntegrityRun(checks, new StepTimer());
            run.before(h, db.database().dialect());
            assertEquals(1, run.preExisting());

            // the run's writes: new dirt, a row that meets two conditions, and the old dirt left as it was
            h.execute("INSERT INTO app_user (email, first_name, last_name, title, active) VALUES"
                    + " ('b.new@acme.example', 'New', 'Blank', NULL, TRUE), ('a.gone@acme.example', 'Gone', 'Away', 'Tester', FALSE),"
                    + " ('c.both@acme.example', 'Both', 'Ways', '', TRUE)");
            h.execute("UPDATE app_user SET manager_id = id WHERE email IN ('c.both@acme.example', 'clean@acme.example')");
            List<Finding> introduced = run.introduced(h);

            List<String> keys = new ArrayList<>();
            introduced.forEach(f -> keys.add(f.code() + " " + f.key()));
            assertEquals(List.of("blank_title b.new@acme.example", "blank_title c.both@acme.example",
                    "self_manager c.both@acme.example", "self_manager clean@acme.example", "inactive a.gone@acme.example"), keys,
                    "check by check in the checks' order, each by email; the blank title that was there before is not the run's");
            assertEquals(0, blankTitle.runs + selfManager.runs + inactive.runs, "the three row filters ran as one scan, before and after");
            assertEquals(2, plain.runs, "a check that is no row filter runs on its own");

            // the scan finds exactly what each check's own query finds
            List<Finding> alone = new ArrayList<>();
            for (RowProbe p : List.of(blankTitle, selfManager, inactive)) {
                p.run(h, db.database().dialect(), f -> {
                    if (!"old.blank@acme.example".equals(f.key())) {
                        alone.add(f);
                    }
                });
            }
            assertEquals(alone, introduced);
        }
    }
}
