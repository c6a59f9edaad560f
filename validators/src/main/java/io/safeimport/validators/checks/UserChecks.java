package io.safeimport.validators.checks;

import static io.safeimport.spi.Severity.ERROR;
import static io.safeimport.spi.Severity.WARNING;

import io.safeimport.spi.IntegrityCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * Integrity checks on {@code app_user}: required fields, case-insensitive duplicate emails,
 * references to rows that do not exist, and the manager hierarchy. A user whose email is blank
 * is keyed {@code #<id>}.
 */
public final class UserChecks {

    private static final String BLANK_FIRST = "COALESCE(TRIM(u.first_name), '') = ''";
    private static final String BLANK_LAST = "COALESCE(TRIM(u.last_name), '') = ''";
    /** The order of the per-row checks' findings: the same for each, so the pipeline can run them as one scan. */
    private static final String BY_EMAIL = "u.email, u.id";

    private UserChecks() {
    }

    /** The user checks, in a stable order. */
    public static List<IntegrityCheck> all() {
        return List.of(
                missingRequiredField(),
                incomplete(),
                duplicateEmail(),
                dangling("user_team_missing", "team_id", "team", "team"),
                dangling("user_chapter_missing", "chapter_id", "chapter", "chapter"),
                dangling("user_level_missing", "level_id", "ladder_level", "ladder level"),
                dangling("user_manager_missing", "manager_id", "app_user", "manager"),
                selfManager(),
                managerCycle());
    }

    /**
     * Email, first name and last name are required; a user with an email and neither name is the
     * placeholder {@link #incomplete()} warns about, so this check only fires for a blank email or
     * for exactly one of the two names missing.
     */
    static IntegrityCheck missingRequiredField() {
        return QueryCheck.rows("user_missing_required_field", ERROR, "app_user",
                "A user has a blank email, or has one of first_name and last_name but not the other.",
                List.of("u.id", "u.email", "u.first_name", "u.last_name"),
                "COALESCE(TRIM(u.email), '') = ''"
                        + " OR (" + BLANK_FIRST + " AND NOT " + BLANK_LAST + ")"
                        + " OR (" + BLANK_LAST + " AND NOT " + BLANK_FIRST + ")",
                BY_EMAIL,
                rs -> {
                    String key = Keys.orId(rs, "email", "id");
                    List<String> missing = new ArrayList<>();
                    for (String column : List.of("email", "first_name", "last_name")) {
                        String value = rs.getString(column);
                        if (value == null || value.isBlank()) {
                            missing.add(column);
                        }
                    }
                    return new Offender(key, "User " + key + " has no " + String.join(" and no ", missing)
                            + "; email, first_name and last_name are required (import users --csv users.csv fills them).");
                });
    }

    /**
     * A user with an email but neither first nor last name: what {@code import org --create-users}
     * creates for a leader who is not in a users file yet. Real data has these between an org
     * import and the next users import, so it is reported, not failed.
     */
    static IntegrityCheck incomplete() {
        return QueryCheck.rows("user_incomplete", WARNING, "app_user",
                "A user has an email but neither first_name nor last_name (a placeholder created for a leader, not yet completed).",
                List.of("u.id", "u.email"),
                "COALESCE(TRIM(u.email), '') <> '' AND " + BLANK_FIRST + " AND " + BLANK_LAST,
                BY_EMAIL,
                rs -> {
                    String email = rs.getString("email");
                    return new Offender(email, "User " + email + " has no first_name or last_name yet (a placeholder,"
                            + " e.g. a leader created by import org --create-users); complete it with import users --csv users.csv.");
                });
    }

    /**
     * Emails are compared case-insensitively; every row of a colliding group is reported. The
     * unique index on {@code email} already rules out exact duplicates, so a collision needs at
     * least one email that is not in lower case (the importers store them lower-cased): when there
     * is none, which the gate finds with one scan of the table, the grouping of the whole table is skipped.
     */
    static IntegrityCheck duplicateEmail() {
        return QueryCheck.of("user_duplicate_email", ERROR, "app_user",
                "Two or more users have the same email when compared case-insensitively.",
                "SELECT u.email FROM app_user u WHERE LOWER(u.email) IN ("
                        + "SELECT LOWER(d.email) FROM app_user d GROUP BY LOWER(d.email) HAVING COUNT(*) > 1)"
                        + " ORDER BY LOWER(u.email), u.email",
                rs -> {
                    String email = rs.getString("email");
                    return new Offender(email, "User " + email + " has the same email as another user when case is ignored;"
                            + " emails must be unique regardless of case.");
                // the gate names a column outside the email index on purpose: a scan of only that index would be covering,
                // and inside a transaction that has just written many users InnoDB must then visit every row's clustered
                // record anyway to see which version is visible (22 s instead of 0.4 s on a million users)
                }).onlyIf("SELECT 1 FROM app_user u WHERE u.email <> LOWER(u.email) AND u.active IS NOT NULL LIMIT 1");
    }

    /** A reference column that holds an id no row has (possible when foreign key checks were off). */
    static IntegrityCheck dangling(String code, String column, String target, String noun) {
        return QueryCheck.of(code, ERROR, "app_user",
                "A user's " + column + " points at a " + noun + " that does not exist.",
                "SELECT u.id, u.email, u." + column + " AS ref FROM app_user u"
                        + " WHERE u." + column + " IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM " + target + " p WHERE p.id = u." + column + ")"
                        + " ORDER BY u.email, u.id",
                rs -> {
                    String key = Keys.orId(rs, "email", "id");
                    return new Offender(key, "User " + key + " points at " + noun + " id " + rs.getLong("ref")
                            + " (" + column + "), which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly(column);
    }

    static IntegrityCheck selfManager() {
        return QueryCheck.rows("user_self_manager", ERROR, "app_user",
                "A user is their own manager.",
                List.of("u.id", "u.email"),
                "u.manager_id = u.id",
                BY_EMAIL,
                rs -> {
                    String key = Keys.orId(rs, "email", "id");
                    return new Offender(key, "User " + key + " is their own manager.");
                });
    }

    /**
     * Users on a cycle of managers (a reports to b, b to c, c to a), one finding per member.
     * Self-managers are left to {@link #selfManager()}; people who merely report into a cycle are
     * not reported, as fixing the cycle fixes them. See {@link ManagerCycles} for why this one check
     * walks the hierarchy in Java rather than with a recursive query.
     */
    static IntegrityCheck managerCycle() {
        return new ManagerCycles("user_manager_cycle");
    }
}
