package io.safeimport.dev;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.DbSettings;
import io.safeimport.internal.db.Dialect;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.run.Environment;
import java.util.List;
import java.util.Optional;

/**
 * The fence around every dev command, checked here rather than in the command line so that no
 * caller can get past it. Like Flyway's disabled {@code clean}, each refusal exits 5 and names
 * the setting that would allow the command:
 * <ul>
 *   <li>only a database marked {@code development} in {@code safeimport_environment} is changed
 *       ({@code db migrate --env development}); one marked production or staging, or not marked at
 *       all, is refused, and no flag overrides this;</li>
 *   <li>a database on another host is refused unless {@code --allow-remote}; this is decided from
 *       the JDBC URL alone, before any connection is attempted. The embedded H2 database is local.</li>
 * </ul>
 */
public final class Fence {
    private Fence() {
    }

    /**
     * Refuses a database that is not on this machine, without connecting to it.
     *
     * @param command the command being fenced, as the user typed it ({@code reset}, ...)
     * @throws SafeImportException {@code REFUSED} (5) for a remote or unreadable host without {@code allowRemote};
     *                             {@code USAGE} (2) for a URL of a database safeimport does not support
     */
    public static void requireLocal(DbSettings settings, boolean allowRemote, String command) {
        try {
            Dialect.of(settings.url());
        } catch (IllegalArgumentException e) {
            throw new SafeImportException(ExitCode.USAGE, "--db " + settings.redactedUrl() + ": " + e.getMessage());
        }
        if (allowRemote) {
            return;
        }
        Optional<List<String>> hosts = JdbcHosts.of(settings.url());
        if (hosts.isEmpty()) {
            throw new SafeImportException(ExitCode.REFUSED, "Unable to execute " + command + " as the host of the database "
                    + settings.redactedUrl() + " cannot be read from its URL, so it may not be this machine;"
                    + " safeimport-dev only changes a local database unless --allow-remote is given.");
        }
        List<String> remote = hosts.get().stream().filter(h -> !JdbcHosts.isLocal(h)).toList();
        if (!remote.isEmpty()) {
            throw new SafeImportException(ExitCode.REFUSED, "Unable to execute " + command + " as the database "
                    + settings.redactedUrl() + " is on " + String.join(", ", remote) + ", not on this machine (localhost,"
                    + " 127.0.0.1, ::1); safeimport-dev only changes a remote database when --allow-remote is given.");
        }
    }

    /**
     * Refuses every database not marked {@code development}: a production or staging database, and
     * one not marked at all (or without safeimport's schema), since nothing says it is not someone's
     * production data. Deny by default, as Flyway's {@code clean} is off unless enabled. A database is
     * marked with {@code safeimport db migrate --env development}; the embedded default is marked
     * development when it is created.
     *
     * @throws SafeImportException {@code REFUSED} (5) unless the database is marked development
     */
    public static void requireDevelopment(Database db, String command) {
        boolean hasSchema = new Migrations(db).currentVersion() != null;
        Optional<Environment.Kind> mark = hasSchema ? Environment.read(db) : Optional.empty();
        if (mark.isPresent() && mark.get() == Environment.Kind.development) {
            return;
        }
        String url = db.settings().redactedUrl();
        if (mark.isPresent() && mark.get() == Environment.Kind.production) {
            throw new SafeImportException(ExitCode.REFUSED, "Unable to execute " + command + " as the database " + url
                    + " is marked 'production' in safeimport_environment; safeimport-dev never changes a production database"
                    + " and no flag overrides this.");
        }
        String what = mark.map(k -> "is marked '" + k.name() + "'").orElse(hasSchema ? "is not marked as any environment"
                : "has no safeimport schema, so it is not marked as any environment");
        throw new SafeImportException(ExitCode.REFUSED, "Unable to execute " + command + " as the database " + url + " " + what
                + "; safeimport-dev only changes a database marked development: if this one holds nothing anyone needs, mark it"
                + " with `safeimport --db " + url + " db migrate --env development` and run the command again.");
    }
}
