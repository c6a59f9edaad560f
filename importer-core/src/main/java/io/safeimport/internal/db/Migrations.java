package io.safeimport.internal.db;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.run.Environment;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema, versioned with Flyway: the reference tables and safeimport's own tables. Its
 * history lives in {@code safeimport_schema_history}. {@code clean} is disabled: safeimport never
 * drops a production schema.
 */
public final class Migrations {
    /** Flyway's history table; like every table of ours it starts with {@code safeimport_}. */
    public static final String HISTORY_TABLE = "safeimport_schema_history";

    private final Database db;
    private final Flyway flyway;

    public Migrations(Database db) {
        this.db = db;
        this.flyway = Flyway.configure()
                .dataSource(db.dataSource())
                .locations(db.dialect().migrationLocation())
                .table(HISTORY_TABLE)
                .cleanDisabled(true)
                .loggers("slf4j")
                .load();
    }

    /** Applies pending migrations; returns how many ran. */
    public int migrate() {
        try {
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new SafeImportException(ExitCode.DATABASE, "migration of " + db.settings().redactedUrl()
                    + " failed: " + DbSettings.redact(firstLine(e.getMessage())), e);
        }
    }

    /**
     * Creates or upgrades the embedded database, as its first use does. One that this call creates
     * is marked {@code development} ({@link Environment}): the embedded default is the demo and
     * development database, the one the dev commands may empty; any other database has to be marked
     * with {@code db migrate --env development} before they touch it.
     *
     * @return how many migrations ran
     */
    public int migrateEmbedded() {
        boolean creating = currentVersion() == null;
        int ran = migrate();
        if (creating && Environment.read(db).isEmpty()) {
            Environment.mark(db, Environment.Kind.development);
        }
        return ran;
    }

    /** The schema version now applied, or {@code null} when the schema is missing. */
    public String currentVersion() {
        MigrationInfo current = info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /**
     * Versions whose migration changes nothing a snapshot holds or restores: safeimport's own
     * tables (2: run history; 4: the run's manifest hash; 5: the database's identity) and H2's text columns widened to hold
     * as many characters as validation allows (3). A snapshot taken before them restores exactly
     * after them.
     */
    private static final Set<String> SNAPSHOT_NEUTRAL = Set.of("2", "3", "4", "5");

    /**
     * Whether a snapshot taken at schema version {@code version} can be restored on the schema
     * as it is now: the same version, or only {@link #SNAPSHOT_NEUTRAL} migrations since.
     */
    public boolean restores(String version) {
        String current = currentVersion();
        if (version == null || current == null) {
            return false;
        }
        if (version.equals(current)) {
            return true;
        }
        try {
            if (MigrationVersion.fromVersion(version).isNewerThan(current)) {
                return false; // taken by a newer safeimport on a newer schema
            }
        } catch (RuntimeException e) {
            return false; // not a version at all
        }
        for (MigrationInfo m : info().applied()) {
            if (m.getVersion() != null && m.getVersion().isNewerThan(version) && !SNAPSHOT_NEUTRAL.contains(m.getVersion().getVersion())) {
                return false;
            }
        }
        return true;
    }

    /** Migrations known to this build but not applied yet. */
    public List<MigrationInfo> pending() {
        return Arrays.asList(info().pending());
    }

    /** Every migration with its state, for {@code db status}. */
    public List<MigrationInfo> all() {
        return Arrays.asList(info().all());
    }

    /**
     * Ensures the schema is current: the embedded default migrates itself; any other database
     * must be migrated explicitly by the operator.
     *
     * @throws SafeImportException {@code DATABASE} (6) when the schema is missing or behind
     */
    public void requireCurrent() {
        if (db.settings().embedded()) {
            migrateEmbedded();
            return;
        }
        List<MigrationInfo> pending = pending();
        if (currentVersion() == null) {
            throw new SafeImportException(ExitCode.DATABASE, "the database " + db.settings().redactedUrl()
                    + " has no safeimport schema: run `safeimport db migrate` first");
        }
        if (!pending.isEmpty()) {
            throw new SafeImportException(ExitCode.DATABASE, "the schema of " + db.settings().redactedUrl()
                    + " is at version " + currentVersion() + " but this safeimport needs "
                    + pending.stream().map(m -> m.getVersion().getVersion()).collect(Collectors.joining(", "))
                    + ": run `safeimport db migrate` first");
        }
    }

    private MigrationInfoService info() {
        try {
            return flyway.info();
        } catch (FlywayException e) {
            throw new SafeImportException(ExitCode.DATABASE, "cannot read the schema history of "
                    + db.settings().redactedUrl() + ": " + DbSettings.redact(firstLine(e.getMessage())), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
