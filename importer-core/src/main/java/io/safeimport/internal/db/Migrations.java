package io.safeimport.internal.db;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.run.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema, versioned with Flyway, on one of two tracks. The <em>reference</em> track holds the
 * reference tables of DESIGN.md §4 and safeimport's own tables (history in
 * {@code safeimport_schema_history}); the <em>own-tables</em> track holds safeimport's own tables
 * only (history in {@code safeimport_own_history}), for a database whose tables are the operator's
 * and whose importers are declared in {@code safeimport.yml} (§7). The migrations of safeimport's
 * own tables live once, under {@code db/own}, and belong to both tracks; the reference schema's
 * under {@code db/migration}, to the reference track only. A database on neither track
 * that already holds other tables is adopted (Flyway's baseline): nothing but {@code safeimport_*}
 * tables (and, on the reference track, the reference tables) is ever created, and nothing is
 * altered or dropped. {@code clean} is disabled: safeimport never drops a production schema.
 */
public final class Migrations {
    /** Flyway's history table of the reference track; like every table of ours it starts with {@code safeimport_}. */
    public static final String HISTORY_TABLE = "safeimport_schema_history";
    /** Flyway's history table of the own-tables track. */
    public static final String OWN_HISTORY_TABLE = "safeimport_own_history";

    /** Which tables a database's migrations create. */
    public enum Track {
        /** The reference schema and safeimport's own tables. */
        REFERENCE,
        /** safeimport's own tables only, beside the operator's tables. */
        OWN_TABLES
    }

    private final Database db;
    private final Track track;
    private final Flyway flyway;

    /** The migrations of the track this database is on (the reference track for a database on none yet). */
    public Migrations(Database db) {
        this(db, false);
    }

    /**
     * The migrations of the track this database is on; for a database on none yet, the own-tables
     * track when {@code ownTablesOnly} (its importers are declared), else the reference track.
     */
    public Migrations(Database db, boolean ownTablesOnly) {
        this.db = db;
        this.track = trackOf(db, ownTablesOnly);
        boolean own = track == Track.OWN_TABLES;
        String ownTables = db.dialect().migrationLocation().replace("db/migration", "db/own");
        this.flyway = Flyway.configure()
                .dataSource(db.dataSource())
                // safeimport's own tables are migrations of both tracks (db/own); the reference schema's only of one (db/migration)
                .locations(own ? new String[] {ownTables} : new String[] {db.dialect().migrationLocation(), ownTables})
                .table(own ? OWN_HISTORY_TABLE : HISTORY_TABLE)
                // a database that already holds the operator's tables is adopted, not refused
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .cleanDisabled(true)
                .loggers("slf4j")
                .load();
    }

    /** The track the database is on, or would be put on. */
    public Track track() {
        return track;
    }

    private static Track trackOf(Database db, boolean ownTablesOnly) {
        if (hasTable(db, HISTORY_TABLE)) {
            return Track.REFERENCE;
        }
        if (hasTable(db, OWN_HISTORY_TABLE)) {
            return Track.OWN_TABLES;
        }
        return ownTablesOnly ? Track.OWN_TABLES : Track.REFERENCE;
    }

    private static boolean hasTable(Database db, String table) {
        try (Connection c = db.dataSource().getConnection(); ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), table, null)) {
            while (rs.next()) {
                if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw Database.connectionFailure(db.settings(), e);
        }
    }

    /** Applies pending migrations; returns how many ran. */
    public int migrate() {
        if (track == Track.REFERENCE && currentVersion() == null) {
            refuseCollisions();
        }
        try {
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new SafeImportException(ExitCode.DATABASE, "migration of " + db.settings().redactedUrl()
                    + " failed: " + DbSettings.redact(firstLine(e.getMessage())), e);
        }
    }

    /**
     * Refuses to put the reference schema into a database that already holds a table of the same
     * name (an operator's own {@code team} or {@code app_user}): DDL is not transactional on MySQL, so
     * a half-created schema would stay behind.
     */
    private void refuseCollisions() {
        for (String table : referenceTables()) {
            if (hasTable(db, table)) {
                throw new SafeImportException(ExitCode.DATABASE, db.settings().redactedUrl() + " already holds a table named " + table
                        + ", which safeimport's reference schema would create; nothing was created. To import into your own tables,"
                        + " declare importers in safeimport.yml: db migrate then creates only safeimport_* tables");
            }
        }
    }

    private static final Pattern CREATE_TABLE = Pattern.compile("(?i)\\bCREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?[`\"]?([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * The tables the reference track's first migration creates, read from that script itself: the
     * reference schema is what its migrations say, and no list of its tables is kept in code.
     */
    private List<String> referenceTables() {
        String resource = db.dialect().migrationLocation().replace("classpath:", "") + "/V1__reference_schema.sql";
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the reference schema's migration " + resource + " is missing from the build");
            }
            Matcher m = CREATE_TABLE.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<String> tables = new ArrayList<>();
            while (m.find()) {
                tables.add(m.group(1).toLowerCase(Locale.ROOT));
            }
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
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
        if (track == Track.OWN_TABLES) {
            return true; // its migrations only ever touch safeimport's own tables
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
