package io.safeimport.cli;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.importers.declared.DeclaredImporters;
import io.safeimport.internal.config.ConfigFile;
import io.safeimport.internal.config.ConfigFileException;
import io.safeimport.internal.config.Problem;
import io.safeimport.internal.config.SafeImportConfig;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.io.Printable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import picocli.CommandLine;

/**
 * The declared importers of {@code safeimport.yml} as the commands meet them: registered as
 * subcommands of {@code import} when the command line is built (so they are in {@code --help} and
 * completion like the built-ins), and held against the live database before any of them reads a
 * row (DESIGN.md §7: every import runs {@code config check} first, with its exit codes).
 */
final class DeclaredConfig {
    private DeclaredConfig() {
    }

    /**
     * Adds an {@code import NAME} subcommand for each importer of the config that {@code args}
     * ({@code --config F}), the environment or the working folder names. A config that cannot be
     * found or read adds none: the command that needs it says why ({@code config check} lists every
     * problem).
     */
    static void register(CommandLine root, String[] args, Map<String, String> env) {
        SafeImportConfig config;
        try {
            Optional<Path> file = ConfigFile.locate(explicit(args), env, Path.of(""));
            if (file.isEmpty()) {
                return;
            }
            config = ConfigFile.read(file.get());
        } catch (SafeImportException e) {
            return;
        }
        CommandLine imports = root.getSubcommands().get("import");
        for (String name : config.importers().keySet()) {
            if (!imports.getSubcommands().containsKey(name)) {
                CommandLine sub = new CommandLine(new ImportDeclaredCommand());
                sub.getCommandSpec().name(name);
                sub.getCommandSpec().usageMessage().description("Import " + config.importers().get(name).table()
                        + " as declared in " + Printable.escape(file(config)) + ", keyed by "
                        + String.join(", ", config.importers().get(name).key()) + ".");
                imports.addSubcommand(name, sub);
            }
        }
    }

    private static String file(SafeImportConfig config) {
        return config.file().getFileName().toString();
    }

    /** The value of {@code --config} among {@code args}, or {@code null}. */
    private static Path explicit(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    /** The config file the global options name; a usage error (exit 2) saying where it looked when none is there. */
    static Path file(GlobalOptions global) {
        return global.configFile().orElseThrow(() -> new SafeImportException(ExitCode.USAGE, "no config file: "
                + ConfigFile.ENV + " is not set and there is no " + ConfigFile.DEFAULT_NAME + " in "
                + Path.of("").toAbsolutePath() + ": give one with --config FILE or " + ConfigFile.ENV + "=FILE"));
    }

    /** The config the global options name; a usage error (exit 2) when none is there. */
    static SafeImportConfig read(GlobalOptions global) {
        return ConfigFile.read(file(global));
    }

    /**
     * The declared importers, usable on {@code db}; when the config does not fit the database, every
     * problem on {@code err} and exit 6 (as {@code config check}). A file that cannot be read is
     * exit 2, each of its problems on {@code err} first.
     */
    static DeclaredImporters usable(GlobalOptions global, Database db, PrintWriter err) {
        SafeImportConfig config;
        try {
            config = read(global);
        } catch (ConfigFileException e) {
            e.problems().forEach(p -> err.println("safeimport: " + Printable.escape(p)));
            err.flush();
            throw new SafeImportException(ExitCode.USAGE, "config: " + e.problems().size() + " problem(s) in the file;"
                    + " correct it (see `safeimport config check`)");
        }
        DeclaredImporters declared = load(config, db);
        if (!declared.usable()) {
            for (Problem p : declared.problems()) {
                err.println("safeimport: " + Printable.escape(p.toString()));
            }
            err.flush();
            throw new SafeImportException(ExitCode.DATABASE, "config " + Printable.escape(config.file()) + " does not fit the database ("
                    + declared.problems().size() + " problem(s), listed above); nothing was read or written. Correct the file or"
                    + " the tables (see `safeimport config check`)");
        }
        return declared;
    }

    /** Whether the global options name a config that declares importers (a config that cannot be read declares none). */
    static boolean declaresImporters(GlobalOptions global) {
        try {
            Optional<Path> file = global.configFile();
            return file.isPresent() && !ConfigFile.read(file.get()).importers().isEmpty();
        } catch (SafeImportException e) {
            return false;
        }
    }

    /**
     * For {@code db status}: each declared importer and whether it is usable on {@code db}
     * ({@code usable}, or how many problems {@code config check} lists); empty without a config.
     */
    static Map<String, String> usability(GlobalOptions global, Database db) {
        Map<String, String> out = new LinkedHashMap<>();
        SafeImportConfig config;
        try {
            Optional<Path> file = global.configFile();
            if (file.isEmpty()) {
                return out;
            }
            config = ConfigFile.read(file.get());
        } catch (SafeImportException e) {
            out.put("(config)", "cannot be read: run `safeimport config check`");
            return out;
        }
        DeclaredImporters declared = load(config, db);
        for (String name : config.importers().keySet()) {
            out.put(name, declared.usable() ? "usable" : "not usable: " + declared.problems().size()
                    + " problem(s) in the config, see `safeimport config check`");
        }
        return out;
    }

    /** The config held against the tables of {@code db}, problems included. */
    static DeclaredImporters load(SafeImportConfig config, Database db) {
        try (Handle h = db.open()) {
            return DeclaredImporters.load(config, h.getConnection());
        } catch (SQLException e) {
            throw new SafeImportException(ExitCode.DATABASE, "cannot read the definitions of the tables of " + config.file() + " ("
                    + e.getMessage().lines().findFirst().orElse("") + "): check the database user may read its catalog", e);
        }
    }
}
