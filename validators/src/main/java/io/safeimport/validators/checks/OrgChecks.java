package io.safeimport.validators.checks;

import static io.safeimport.spi.Severity.ERROR;
import static io.safeimport.spi.Severity.WARNING;

import io.safeimport.spi.IntegrityCheck;
import java.util.List;

/**
 * Integrity checks on the organisation structure: {@code chapter}, {@code tribe} and
 * {@code team}. "Orphaned" means pointing at a parent that does not exist (the parent columns
 * are NOT NULL, so a team without a tribe is always an orphan); a parent with no children, such
 * as an organization with no tribe yet, is fine. Each of these tables is keyed by the column of
 * its own name ({@code team.team}), which the checks rely on.
 */
public final class OrgChecks {

    private OrgChecks() {
    }

    /** The organisation checks, in a stable order. */
    public static List<IntegrityCheck> all() {
        return List.of(
                orphan("chapter_organization_missing", "chapter", "organization_id", "organization"),
                leaderMissing("chapter_leader_missing", "chapter"),
                leaderInactive("chapter_leader_inactive", "chapter"),
                orphan("tribe_organization_missing", "tribe", "organization_id", "organization"),
                leaderMissing("tribe_leader_missing", "tribe"),
                leaderInactive("tribe_leader_inactive", "tribe"),
                orphan("team_tribe_missing", "team", "tribe_id", "tribe"),
                teamWithoutDepartment(),
                leaderMissing("team_leader_missing", "team"),
                leaderInactive("team_leader_inactive", "team"),
                teamWithoutLeader());
    }

    /** An org entity whose parent column holds an id no row has. */
    static IntegrityCheck orphan(String code, String table, String column, String parent) {
        return QueryCheck.of(code, ERROR, table,
                "A " + table + " points at a " + parent + " that does not exist (an orphaned " + table + ").",
                "SELECT x.id, x." + table + " AS name, x." + column + " AS ref FROM " + table + " x"
                        + " WHERE x." + column + " IS NULL"
                        + " OR NOT EXISTS (SELECT 1 FROM " + parent + " p WHERE p.id = x." + column + ")"
                        + " ORDER BY x." + table + ", x.id",
                rs -> {
                    String key = Keys.orId(rs, "name", "id");
                    long ref = rs.getLong("ref");
                    String what = rs.wasNull() ? "has no " + parent
                            : "points at " + parent + " id " + ref + ", which does not exist";
                    return new Offender(key, capitalized(table) + " " + key + " " + what
                            + "; every " + table + " must belong to an existing " + parent + ".");
                });
    }

    /** {@code leader_id} holds an id no user has. */
    static IntegrityCheck leaderMissing(String code, String table) {
        return QueryCheck.of(code, ERROR, table,
                "A " + table + "'s leader is a user that does not exist.",
                "SELECT x.id, x." + table + " AS name, x.leader_id FROM " + table + " x"
                        + " WHERE x.leader_id IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = x.leader_id)"
                        + " ORDER BY x." + table + ", x.id",
                rs -> {
                    String key = Keys.orId(rs, "name", "id");
                    return new Offender(key, capitalized(table) + " " + key + " has leader user id " + rs.getLong("leader_id")
                            + ", which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly("leader_id");
    }

    /** The leader exists but is no longer active: real data has these until someone is appointed. */
    static IntegrityCheck leaderInactive(String code, String table) {
        return QueryCheck.of(code, WARNING, table,
                "A " + table + "'s leader is an inactive user.",
                "SELECT x.id, x." + table + " AS name, u.email FROM " + table + " x"
                        + " JOIN app_user u ON u.id = x.leader_id WHERE u.active = FALSE"
                        + " ORDER BY x." + table + ", x.id",
                rs -> {
                    String key = Keys.orId(rs, "name", "id");
                    return new Offender(key, capitalized(table) + " " + key + " is led by " + rs.getString("email")
                            + ", who is inactive; appoint an active leader.");
                });
    }

    static IntegrityCheck teamWithoutDepartment() {
        return QueryCheck.of("team_without_department", ERROR, "team",
                "A team has a blank department.",
                "SELECT x.id, x.team AS name FROM team x WHERE COALESCE(TRIM(x.department), '') = ''"
                        + " ORDER BY x.team, x.id",
                rs -> {
                    String key = Keys.orId(rs, "name", "id");
                    return new Offender(key, "Team " + key + " has no department; every team needs one (teams.csv, column department).");
                });
    }

    /** A team nobody leads yet is common while an organisation is being set up, so only a warning. */
    static IntegrityCheck teamWithoutLeader() {
        return QueryCheck.of("team_without_leader", WARNING, "team",
                "A team has no leader.",
                "SELECT x.id, x.team AS name FROM team x WHERE x.leader_id IS NULL ORDER BY x.team, x.id",
                rs -> {
                    String key = Keys.orId(rs, "name", "id");
                    return new Offender(key, "Team " + key + " has no leader (teams.csv, column leader_email).");
                });
    }

    private static String capitalized(String table) {
        return Character.toUpperCase(table.charAt(0)) + table.substring(1);
    }
}
