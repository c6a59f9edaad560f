package io.safeimport.testing;

import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.DbSettings;
import io.safeimport.internal.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, migrated database for one test: an embedded H2 file database in a temporary folder,
 * or a new database on the real MariaDB/MySQL server named by the {@code safeimport.test.mysql.url}
 * property (default {@code jdbc:mysql://127.0.0.1:3306/}, user root, empty password). The server
 * tests are skipped with a message when no server is reachable, unless the environment sets
 * {@code SAFEIMPORT_REQUIRE_MYSQL=1} (CI does), in which case they fail. The kind {@code postgres}
 * is a new database on the PostgreSQL server named by {@code safeimport.test.postgres.url} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/}, user postgres, password from
 * {@code SAFEIMPORT_TEST_POSTGRES_PASSWORD}), skipped likewise unless {@code SAFEIMPORT_REQUIRE_POSTGRES=1}.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String H2 = "h2";
    public static final String MARIADB = "mariadb";
    public static final String POSTGRES = "postgres";

    private final String kind;
    private final DbSettings settings;
    private final Path folder;
    private final String serverUrl;
    private final String schemaName;
    private Database database;

    private TestDatabase(String kind, DbSettings settings, Path folder, String serverUrl, String schemaName) {
        this.kind = kind;
        this.settings = settings;
        this.folder = folder;
        this.serverUrl = serverUrl;
        this.schemaName = schemaName;
    }

    /** The kinds every pipeline test runs on; use with {@code @MethodSource}. */
    public static Stream<String> kinds() {
        return Stream.of(H2, MARIADB, POSTGRES);
    }

    /** A fresh migrated database of the given kind. */
    public static TestDatabase create(String kind) {
        TestDatabase db = createEmpty(kind);
        new Migrations(db.database()).migrate();
        return db;
    }

    /** A fresh database of the given kind with no schema at all. */
    public static TestDatabase createEmpty(String kind) {
        if (H2.equals(kind)) {
            try {
                Path folder = Files.createTempDirectory("safeimport-h2-");
                return new TestDatabase(kind, DbSettings.embedded(folder), folder, null, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (POSTGRES.equals(kind)) {
            return createEmptyPostgres();
        }
        if (!MARIADB.equals(kind)) {
            throw new IllegalArgumentException(kind);
        }
        String base = System.getProperty("safeimport.test.mysql.url", "jdbc:mysql://127.0.0.1:3306/");
        if (base.isBlank() || base.startsWith("${")) {
            base = "jdbc:mysql://127.0.0.1:3306/";
        }
        String user = System.getProperty("safeimport.test.mysql.user", "root");
        if (user.isBlank() || user.startsWith("${")) {
            user = "root";
        }
        String password = System.getenv().getOrDefault("SAFEIMPORT_TEST_MYSQL_PASSWORD", "");
        String name = "si_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base + "?connectTimeout=3000", user, password)) {
            c.createStatement().execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            String why = "no MariaDB/MySQL server at " + base + " (" + e.getMessage().lines().findFirst().orElse("") + ")";
            if ("1".equals(System.getenv("SAFEIMPORT_REQUIRE_MYSQL"))) {
                Assertions.fail(why + " but SAFEIMPORT_REQUIRE_MYSQL=1");
            }
            Assumptions.abort("skipped: " + why);
        }
        String url = base.endsWith("/") ? base + name : base + "/" + name;
        return new TestDatabase(kind, new DbSettings(url, user, password), null, base, name);
    }

    private static TestDatabase createEmptyPostgres() {
        String base = System.getProperty("safeimport.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/");
        if (base.isBlank() || base.startsWith("${")) {
            base = "jdbc:postgresql://127.0.0.1:5432/";
        }
        if (!base.endsWith("/")) {
            base = base + "/";
        }
        String user = System.getProperty("safeimport.test.postgres.user", "postgres");
        if (user.isBlank() || user.startsWith("${")) {
            user = "postgres";
        }
        String password = System.getenv().getOrDefault("SAFEIMPORT_TEST_POSTGRES_PASSWORD", "");
        String name = "si_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = base + "postgres";
        try (Connection c = DriverManager.getConnection(admin + "?connectTimeout=3", user, password)) {
            c.createStatement().execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            String why = "no PostgreSQL server at " + base + " (" + e.getMessage().lines().findFirst().orElse("") + ")";
            if ("1".equals(System.getenv("SAFEIMPORT_REQUIRE_POSTGRES"))) {
                Assertions.fail(why + " but SAFEIMPORT_REQUIRE_POSTGRES=1");
            }
            Assumptions.abort("skipped: " + why);
        }
        return new TestDatabase(POSTGRES, new DbSettings(base + name, user, password), null, admin, name);
    }

    public String kind() {
        return kind;
    }

    public DbSettings settings() {
        return settings;
    }

    /** The connected database (connected on first use). */
    public synchronized Database database() {
        if (database == null) {
            database = Database.connect(settings);
        }
        return database;
    }

    /** Runs SQL statements (test setup). */
    public void execute(String... sql) {
        try (Handle h = database().open()) {
            for (String s : sql) {
                h.execute(s);
            }
        }
    }

    /**
     * After rows were inserted with explicit ids: moves every identity sequence past its table's
     * largest id, as AUTO_INCREMENT and H2's identity columns do by themselves. PostgreSQL's
     * sequences do not follow explicit ids, so the next generated id would collide. A no-op elsewhere.
     */
    public void syncIdentities() {
        if (!POSTGRES.equals(kind)) {
            return;
        }
        try (Handle h = database().open()) {
            for (String table : h.createQuery("SELECT table_name FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'").mapTo(String.class).list()) {
                h.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM " + table);
            }
        }
    }

    /**
     * The server session (MariaDB connection id, PostgreSQL backend pid) holding safeimport's import
     * lock on this database, asked through {@code admin}, or {@code null} when none does. Server kinds only.
     */
    public Long importLockHolder(Handle admin) {
        if (POSTGRES.equals(kind)) {
            return admin.createQuery("SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
                    + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                    .mapTo(Long.class).findFirst().orElse(null);
        }
        requireKind(MARIADB);
        return admin.createQuery("SELECT IS_USED_LOCK(CONCAT('safeimport_import:', DATABASE()))").mapTo(Long.class).one();
    }

    /** The other server sessions connected to this database than {@code admin}'s own. Server kinds only. */
    public List<Long> otherSessions(Handle admin) {
        if (POSTGRES.equals(kind)) {
            return admin.createQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
                    .mapTo(Long.class).list();
        }
        requireKind(MARIADB);
        return admin.createQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()")
                .mapTo(Long.class).list();
    }

    /**
     * Ends server session {@code session} as an administrator does ({@code KILL} on MariaDB,
     * {@code pg_terminate_backend} on PostgreSQL); either may return before the session has gone.
     */
    public void killSession(Handle admin, long session) {
        if (POSTGRES.equals(kind)) {
            admin.createQuery("SELECT pg_terminate_backend(:pid)").bind("pid", (int) session).mapTo(Boolean.class).one();
            return;
        }
        requireKind(MARIADB);
        admin.execute("KILL " + session);
    }

    /** The server's clock, in whole seconds since the epoch. Server kinds only. */
    public long serverSeconds(Handle admin) {
        if (POSTGRES.equals(kind)) {
            return admin.createQuery("SELECT CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp())) AS BIGINT)").mapTo(Long.class).one();
        }
        requireKind(MARIADB);
        return admin.createQuery("SELECT UNIX_TIMESTAMP()").mapTo(Long.class).one();
    }

    private void requireKind(String expected) {
        if (!expected.equals(kind)) {
            throw new IllegalStateException("not available on " + kind);
        }
    }

    /** A single number, e.g. {@code count("app_user")}. */
    public long count(String table) {
        try (Handle h = database().open()) {
            return h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one();
        }
    }

    /** Rows of a query as maps, in order. */
    public List<Map<String, Object>> rows(String sql) {
        try (Handle h = database().open()) {
            return h.createQuery(sql).mapToMap().list();
        }
    }

    /**
     * The exact state of every table: a checksum of its content ({@code CHECKSUM TABLE} on
     * MariaDB, an MD5 of every row's text in key order on PostgreSQL, a digest of every row in id
     * order on H2) and its next AUTO_INCREMENT value (the identity sequence's position on PostgreSQL).
     * Two equal states mean byte-identical tables and counters.
     */
    public Map<String, String> state() {
        Map<String, String> state = new LinkedHashMap<>();
        try (Handle h = database().open()) {
            for (String table : tables(h)) {
                state.put(table, checksum(h, table) + " next_id=" + nextId(h, table));
            }
        }
        return state;
    }

    private List<String> tables(Handle h) {
        if (MARIADB.equals(kind)) {
            return h.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name")
                    .mapTo(String.class).list();
        }
        return h.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
                .mapTo(String.class).list();
    }

    private String checksum(Handle h, String table) {
        if (POSTGRES.equals(kind)) {
            // every row's text form in primary-key order (the Flyway history table's key is installed_rank)
            String order = h.createQuery("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                            + " AND a.attnum = i.indkey[0] WHERE i.indrelid = CAST(:t AS regclass) AND i.indisprimary")
                    .bind("t", table).mapTo(String.class).findOne().orElse(null);
            return h.createQuery("SELECT COUNT(*) || ':' || COALESCE(md5(string_agg(CAST(x AS TEXT), ','"
                            + (order == null ? "" : " ORDER BY x." + order) + ")), '') FROM " + table + " x")
                    .mapTo(String.class).one();
        }
        if (MARIADB.equals(kind)) {
            return String.valueOf(h.createQuery("CHECKSUM TABLE " + table + " EXTENDED").mapToMap().one().get("checksum"));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean hasId = h.createQuery("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = :t AND column_name = 'id'")
                .bind("t", table).mapTo(Integer.class).one() > 0;
        h.createQuery("SELECT * FROM " + table + (hasId ? " ORDER BY id" : "")).mapToMap().forEach(rows::add);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map<String, Object> row : rows) {
                md.update(Objects.toString(row).getBytes(StandardCharsets.UTF_8));
            }
            return rows.size() + ":" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object nextId(Handle h, String table) {
        if (POSTGRES.equals(kind)) {
            // the identity sequence's position: last_value, and whether nextval has been called since it was set
            String seq = h.createQuery("SELECT pg_get_serial_sequence(:t, column_name) FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = :t AND is_identity = 'YES'").bind("t", table).mapTo(String.class).findOne().orElse(null);
            if (seq == null) {
                return null;
            }
            return h.createQuery("SELECT last_value || CASE WHEN is_called THEN '+' ELSE '' END FROM " + seq).mapTo(String.class).one();
        }
        if (MARIADB.equals(kind)) {
            return h.createQuery("SELECT auto_increment FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :t")
                    .bind("t", table).mapTo(Long.class).findOne().orElse(null);
        }
        return h.createQuery("SELECT identity_base FROM information_schema.columns WHERE table_schema = 'public' AND table_name = :t AND is_identity = 'YES'")
                .bind("t", table).mapTo(Long.class).findOne().orElse(null);
    }

    /** Whether this database still exists: a server's database not dropped, the embedded one's folder not deleted. */
    public boolean exists() {
        if (schemaName == null) {
            return Files.exists(folder);
        }
        String sql = POSTGRES.equals(kind) ? "SELECT 1 FROM pg_database WHERE datname = ?"
                : "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?";
        try (Connection c = DriverManager.getConnection(serverUrl, settings.user(), settings.password());
             PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, schemaName);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not look for test database " + schemaName, e);
        }
    }

    @Override
    public void close() {
        if (schemaName != null) {
            try (Connection c = DriverManager.getConnection(serverUrl, settings.user(), settings.password())) {
                // WITH (FORCE): a connection the test left open (a held lock) would keep PostgreSQL from dropping it
                c.createStatement().execute("DROP DATABASE IF EXISTS " + schemaName + (POSTGRES.equals(kind) ? " WITH (FORCE)" : ""));
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test database " + schemaName, e);
            }
        }
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
