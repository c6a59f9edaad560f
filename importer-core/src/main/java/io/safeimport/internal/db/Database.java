package io.safeimport.internal.db;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.io.PrivateFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * A connected database: the Jdbi instance, the dialect and the settings it came from.
 * {@link #connect} opens one connection at once so that an unreachable server, a wrong
 * password or a database file held by another process is reported before anything else runs.
 */
public final class Database {
    /** How long a connection waits for the embedded file held by a process that is not a run (see {@link #open}). */
    public static final int EMBEDDED_GRACE_SECONDS = 10;

    private final DbSettings settings;
    private final Dialect dialect;
    private final Jdbi jdbi;

    private final DataSource source;
    /** The embedded database file this connection created, or {@code null}. */
    private Path created;

    private Database(DbSettings settings, Dialect dialect, Jdbi jdbi, DataSource source) {
        this.settings = settings;
        this.dialect = dialect;
        this.jdbi = jdbi;
        this.source = source;
    }

    /**
     * The file of the embedded database when connecting created it (none existed at that path),
     * as an absolute path; empty otherwise. Run from another folder, the default {@code ./data}
     * is a new, empty database: the operator must be told where it went.
     */
    public Optional<Path> created() {
        return Optional.ofNullable(created);
    }

    /** Connections with exactly the settings of {@link #jdbi()}, for Flyway. */
    DataSource dataSource() {
        return source;
    }

    /**
     * Connects and checks the connection works.
     *
     * @throws SafeImportException {@code USAGE} (2) when the URL holds a password, {@code DATABASE} (6)
     *                             when unreachable or refused, {@code BUSY} (4) when the embedded
     *                             database file is held by another run (see {@link #open})
     */
    public static Database connect(DbSettings settings) {
        DbSettings.passwordInUrl(settings.url()).ifPresent(how -> {
            throw new SafeImportException(ExitCode.USAGE, "the database URL " + settings.redactedUrl() + " contains a password ("
                    + how + "): remove it and give the password in SAFEIMPORT_DB_PASSWORD or in a file named by --db-password-file");
        });
        Dialect dialect;
        Properties props = new Properties();
        try {
            dialect = Dialect.of(settings.url());
            props.putAll(dialect.connectionProperties(settings.url()));
        } catch (IllegalArgumentException e) {
            throw new SafeImportException(ExitCode.USAGE, "--db " + settings.redactedUrl() + ": " + e.getMessage());
        }
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        Path file = embeddedFile(settings.url());
        boolean existed = file == null || Files.exists(file);
        if (settings.embedded()) {
            prepareEmbeddedFiles(settings.url());
        }
        DataSource source = new ConnectionSource(dialect.effectiveUrl(settings.url()), props);
        Jdbi jdbi = Jdbi.create(source);
        bindDatesExactly(jdbi);
        Database db = new Database(settings, dialect, jdbi, source);
        try (Handle h = db.open()) {
            h.getConnection().isValid(5);
        } catch (SQLException e) {
            throw connectionFailure(settings, e);
        }
        if (!existed && Files.exists(file)) {
            db.created = file;
        }
        return db;
    }

    /**
     * Binds and reads {@link LocalDate} as itself ({@code setObject}/{@code getObject(i, LocalDate.class)}), never
     * through {@code java.sql.Date}: that class converts with the Julian calendar before 1582-10-15, and H2 stores the
     * proleptic Gregorian date, so 1500-03-01 was stored as 1500-03-11 and every re-import planned an update.
     */
    private static void bindDatesExactly(Jdbi jdbi) {
        jdbi.registerArgument(new AbstractArgumentFactory<LocalDate>(Types.DATE) {
            @Override
            protected Argument build(LocalDate value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setObject(position, value, Types.DATE);
            }
        });
        jdbi.registerColumnMapper(LocalDate.class, (rs, column, ctx) -> rs.getObject(column, LocalDate.class));
    }

    /**
     * Makes a new embedded database owner-only, as snapshots and logs are: its folder, when it does
     * not exist yet, is created 0700 (an existing one is used as it is, never chmod-ed), and its file
     * is created empty 0600 before H2 opens it, since H2 would create it with the process's umask
     * (world-readable {@code -rw-r--r--}). Only a file URL names a file here ({@code jdbc:h2:file:},
     * or a plain path); {@code mem:} and server URLs are left alone.
     */
    private static void prepareEmbeddedFiles(String url) {
        Path file = embeddedBase(url);
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null && !Files.exists(parent)) {
                try {
                    PrivateFiles.createDirectory(parent);
                } catch (FileAlreadyExistsException e) {
                    // made by another process at the same moment
                }
            }
            Path mvDb = file.resolveSibling(file.getFileName() + ".mv.db");
            if (!Files.exists(mvDb, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    PrivateFiles.create(mvDb).close();
                } catch (FileAlreadyExistsException e) {
                    // made by another process at the same moment
                }
            }
        } catch (IOException e) {
            throw new SafeImportException(ExitCode.DATABASE,
                    "cannot create the embedded database " + file + " (" + e.getMessage() + "): check that its folder is writable");
        }
    }

    /** The file an embedded H2 file URL stores its database in (absolute), or {@code null} for any other URL. */
    static Path embeddedFile(String url) {
        Path base = embeddedBase(url);
        return base == null ? null : base.resolveSibling(base.getFileName() + ".mv.db").toAbsolutePath().normalize();
    }

    /** The path (without {@code .mv.db}) an H2 URL names on this machine's disk, or {@code null}. */
    static Path embeddedBase(String url) {
        String path = url.substring("jdbc:h2:".length());
        int semi = path.indexOf(';');
        if (semi >= 0) {
            path = path.substring(0, semi);
        }
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        } else if (path.matches("(?s)[a-zA-Z]{2,}:.*")) {
            return null; // mem:, tcp://, ssl://, zip:, ...
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return path.isEmpty() ? null : Path.of(path);
    }

    /**
     * Opens a new connection (the caller closes it). The embedded database file is open in one
     * process at a time: when another process has it, this waits for it. A run holding the
     * import lock there is waited for up to {@link DbSettings#lockWaitSeconds()} ({@code --wait}),
     * then this fails with exit 4 naming it; any other process (a {@code runs list}, ...) holds
     * the file only briefly and is waited for up to {@link #EMBEDDED_GRACE_SECONDS} (or
     * {@code --wait}, if longer), so a run never fails because someone looked at the database.
     */
    public Handle open() {
        long start = System.nanoTime();
        while (true) {
            try {
                return jdbi.open();
            } catch (ConnectionException e) {
                SQLException cause = e.getCause() instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
                if (!settings.embedded() || !fileInUse(cause)) {
                    throw connectionFailure(settings, cause);
                }
                LockHolder holder = EmbeddedLock.holder(settings.url()).orElse(null);
                long waited = System.nanoTime() - start;
                long budget = (holder != null ? settings.lockWaitSeconds()
                        : Math.max(EMBEDDED_GRACE_SECONDS, settings.lockWaitSeconds())) * 1_000_000_000L;
                if (waited >= budget) {
                    throw embeddedBusy(settings, holder, waited, cause);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw embeddedBusy(settings, holder, waited, cause);
                }
            }
        }
    }

    private static boolean fileInUse(SQLException e) {
        return Dialect.failureOf(e) == Dialect.Failure.FILE_IN_USE;
    }

    private static SafeImportException embeddedBusy(DbSettings settings, LockHolder holder, long waitedNanos, SQLException e) {
        long waited = waitedNanos / 1_000_000_000L;
        if (holder != null) {
            return new SafeImportException(ExitCode.BUSY, "another safeimport run holds the import lock on " + settings.redactedUrl()
                    + " (" + holder.describe(Instant.now()) + ")"
                    + (settings.lockWaitSeconds() > 0 ? " and did not release it within " + settings.lockWaitSeconds() + " s" : "")
                    + "; the embedded database is in use until it ends: wait for it to finish, or pass --wait SECONDS", e);
        }
        return new SafeImportException(ExitCode.BUSY, "the embedded database " + settings.redactedUrl()
                + " is in use by another safeimport process (no run holds the import lock: a command such as runs list or validate,"
                + " or another program with the file open)" + (waited > 0 ? " and stayed in use for " + waited + " s" : "")
                + "; wait for it to finish and try again", e);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DbSettings settings() {
        return settings;
    }

    /** Turns a driver's connection failure into the one-line message and exit code of DESIGN.md §3. */
    public static SafeImportException connectionFailure(DbSettings settings, SQLException e) {
        String where = settings.redactedUrl();
        Dialect.Failure failure = Dialect.failureOf(e);
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = DbSettings.redact(firstLine(e.getMessage()));
        if (failure == Dialect.Failure.FILE_IN_USE) {
            return embeddedBusy(settings, settings.embedded() ? EmbeddedLock.holder(settings.url()).orElse(null) : null, 0, e);
        }
        if (failure == Dialect.Failure.LOGIN_REFUSED || state.startsWith("28")) {
            return new SafeImportException(ExitCode.DATABASE, "the database at " + where
                    + " refused the login" + (settings.user() == null ? "" : " of user '" + settings.user() + "'")
                    + ": check SAFEIMPORT_DB_USER and SAFEIMPORT_DB_PASSWORD (or --db-password-file)", e);
        }
        if (failure == Dialect.Failure.NO_SUCH_DATABASE) {
            return new SafeImportException(ExitCode.DATABASE, "the database in " + where
                    + " does not exist: create it (CREATE DATABASE ...) and run `safeimport db migrate`", e);
        }
        if (state.startsWith("08")) {
            return new SafeImportException(ExitCode.DATABASE, "cannot reach the database at " + where
                    + ": is the server running and the host/port right? (" + detail + ")", e);
        }
        return new SafeImportException(ExitCode.DATABASE, "cannot use the database at " + where + ": " + detail, e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
