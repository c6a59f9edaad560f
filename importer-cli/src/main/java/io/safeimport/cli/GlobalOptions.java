package io.safeimport.cli;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.config.ConfigFile;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.DbSettings;
import io.safeimport.internal.io.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command shares (DESIGN.md §3): where the database, snapshots and logs are. The
 * password is read only from {@code SAFEIMPORT_DB_PASSWORD} or {@code --db-password-file}, never
 * from the command line, so it cannot leak through {@code ps} or shell history.
 */
public final class GlobalOptions {
    /** The environment; replaceable in tests. */
    static Map<String, String> env = System.getenv();

    @Option(names = "--db", paramLabel = "JDBC_URL", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Database URL (default: $SAFEIMPORT_DB_URL, else the embedded H2 database under ./data).")
    String db;

    @Option(names = "--db-user", paramLabel = "USER", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Database user (default: $SAFEIMPORT_DB_USER).")
    String dbUser;

    @Option(names = "--db-password-file", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "File whose first line is the database password (else $SAFEIMPORT_DB_PASSWORD).")
    Path passwordFile;

    @Option(names = "--snapshot-dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Snapshot folder (default: $SAFEIMPORT_SNAPSHOT_DIR, else ./snapshots).")
    Path snapshotDir;

    @Option(names = "--log-dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Audit-log folder (default: $SAFEIMPORT_LOG_DIR, else ./logs).")
    Path logDir;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The declared importers (default: $SAFEIMPORT_CONFIG, else ./safeimport.yml when there).")
    Path config;

    @Option(names = "--wait", paramLabel = "SECONDS", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Wait up to SECONDS for another run's import lock instead of exiting 4 at once.")
    int waitSeconds;

    @Option(names = "--debug", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of errors.")
    boolean debug;

    /** The root command these options belong to, for the command line this process runs. */
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec root;

    /** The global options given to the root command (they may appear before or after the subcommand). */
    static GlobalOptions of(picocli.CommandLine.Model.CommandSpec spec) {
        Object root = spec.root().userObject();
        if (root instanceof WithGlobalOptions w) {
            return w.globalOptions();
        }
        throw new IllegalStateException("root command has no global options");
    }

    /** A root command that carries the global options. */
    public interface WithGlobalOptions {
        GlobalOptions globalOptions();
    }

    DbSettings settings() {
        String url = db != null ? db : env.get("SAFEIMPORT_DB_URL");
        String source = db != null ? "--db" : "SAFEIMPORT_DB_URL";
        DbSettings.passwordInUrl(url).ifPresent(how -> {
            throw new SafeImportException(ExitCode.USAGE, source + " contains a password (" + how + "): remove it from the URL"
                    + " and give the password in SAFEIMPORT_DB_PASSWORD or in a file named by --db-password-file");
        });
        String user = dbUser != null ? dbUser : env.get("SAFEIMPORT_DB_USER");
        String password = env.get("SAFEIMPORT_DB_PASSWORD");
        if (passwordFile != null) {
            try {
                password = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw new SafeImportException(ExitCode.USAGE, "--db-password-file " + passwordFile + ": cannot read it ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return new DbSettings(url, user, password).forCommand(commandLine(), waitSeconds);
    }

    /**
     * The command that runs {@code args} against the same database, snapshots, logs and config as
     * this process, for a hint the operator can paste as it stands ({@code safeimport rollback ID
     * --db URL --config F}): only the global options given on the command line are repeated (those
     * from the environment hold in the same shell), the URL redacted, each word quoted where a shell
     * would split it. The password never appears: it is never an option.
     */
    String again(String... args) {
        List<String> words = new ArrayList<>(List.of("safeimport"));
        words.addAll(List.of(args));
        option(words, "--db", db == null ? null : DbSettings.redact(db));
        option(words, "--db-user", dbUser);
        option(words, "--db-password-file", passwordFile);
        option(words, "--snapshot-dir", snapshotDir);
        option(words, "--log-dir", logDir);
        option(words, "--config", config);
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            sb.append(sb.length() == 0 ? "" : " ").append(shellWord(w));
        }
        return sb.toString();
    }

    private static void option(List<String> words, String name, Object value) {
        if (value != null) {
            words.add(name);
            words.add(value.toString());
        }
    }

    /** {@code word} as a POSIX shell reads it back: unquoted when plain, else in single quotes. */
    private static String shellWord(String word) {
        return word.isEmpty() || word.matches(".*[\\s'\"$`\\\\!*?&;|<>()#~{}\\[\\]].*") ? "'" + word.replace("'", "'\\''") + "'" : word;
    }

    /**
     * What this process runs, as another process that finds the database busy is told:
     * {@code safeimport import users --csv big.csv}, URLs redacted.
     */
    private String commandLine() {
        if (root == null || root.commandLine() == null || root.commandLine().getParseResult() == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(root.name());
        for (String arg : root.commandLine().getParseResult().originalArgs()) {
            String a = DbSettings.redact(arg);
            sb.append(' ').append(a.isEmpty() || a.matches(".*[\\s'\"].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return sb.length() > 500 ? sb.substring(0, 497) + "..." : sb.toString();
    }

    Database connect() {
        Database db = Database.connect(settings());
        db.created().ifPresent(file -> {
            PrintWriter err = root != null && root.commandLine() != null ? root.commandLine().getErr()
                    : new PrintWriter(System.err, true);
            err.println("safeimport: created a new, empty embedded database at " + Printable.escape(file.toString())
                    + " (none was there; to use an existing one, run from its folder or pass --db jdbc:h2:file:PATH)");
            err.flush();
        });
        return db;
    }

    Path snapshotDir() {
        return snapshotDir != null ? snapshotDir : Path.of(env.getOrDefault("SAFEIMPORT_SNAPSHOT_DIR", "snapshots"));
    }

    Path logDir() {
        return logDir != null ? logDir : Path.of(env.getOrDefault("SAFEIMPORT_LOG_DIR", "logs"));
    }

    /** The database settings (options, else environment); reading them never connects. */
    public DbSettings dbSettings() {
        return settings();
    }

    /** The snapshot folder (option, else environment, else {@code ./snapshots}). */
    public Path snapshotDirectory() {
        return snapshotDir();
    }

    /** The audit-log folder (option, else environment, else {@code ./logs}). */
    public Path logDirectory() {
        return logDir();
    }

    /**
     * The config file ({@code --config}, else {@code SAFEIMPORT_CONFIG}, else {@code ./safeimport.yml}
     * when there); empty when none is named and none is there.
     *
     * @throws SafeImportException {@code USAGE} when the option or variable names no file
     */
    public Optional<Path> configFile() {
        return ConfigFile.locate(config, env, Path.of(""));
    }

    /** Seconds to wait for another run's import lock ({@code --wait}). */
    public int lockWaitSeconds() {
        return waitSeconds;
    }
}
