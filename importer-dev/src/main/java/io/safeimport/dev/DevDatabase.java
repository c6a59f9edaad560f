package io.safeimport.dev;

import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.DbSettings;
import io.safeimport.internal.db.Migrations;

/**
 * A database the dev commands may change: on this machine (or {@code --allow-remote}), marked
 * development, with a current schema. {@link #open} is the only way to get one, and every
 * dev operation ({@link Reset}, {@link Seed}, {@link ClearUsersImport}) takes one, so none of them
 * can run outside the {@link Fence}.
 */
public final class DevDatabase {
    private final Database database;
    private final String command;

    private DevDatabase(Database database, String command) {
        this.database = database;
        this.command = command;
    }

    /**
     * Checks the host (before connecting), connects, checks the environment mark (before an
     * existing embedded database is migrated: migrating is already a write; a new one is created
     * and marked development first) and requires a current schema.
     *
     * @param command the command as the user typed it, for the refusal messages
     */
    public static DevDatabase open(DbSettings settings, boolean allowRemote, String command) {
        Fence.requireLocal(settings, allowRemote, command);
        Database db = Database.connect(settings);
        Migrations migrations = new Migrations(db);
        if (settings.embedded() && migrations.currentVersion() == null) {
            // a new embedded database: created here, and marked development as it is created
            migrations.migrateEmbedded();
        }
        Fence.requireDevelopment(db, command);
        migrations.requireCurrent();
        return new DevDatabase(db, command);
    }

    public Database database() {
        return database;
    }

    /** The command this database was opened for. */
    public String command() {
        return command;
    }

    /** Checks the environment mark again, for callers about to write (it may have changed since {@link #open}). */
    void recheck() {
        Fence.requireDevelopment(database, command);
    }
}
