package io.safeimport.validators.checks;

import static io.safeimport.spi.Severity.ERROR;
import static io.safeimport.spi.Severity.WARNING;

import io.safeimport.spi.IntegrityCheck;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Integrity checks on history: {@code timeline_event}, {@code compensation_snapshot} and
 * {@code seniority_snapshot}. An event is keyed {@code email/event_type/effective_date}
 * ({@code #<user_id>/...} when its user does not exist); a snapshot is keyed by its source
 * event's key ({@code #<event_id>} when that event does not exist).
 */
public final class HistoryChecks {

    /** The event types of DESIGN.md §4, exactly as stored. */
    public static final List<String> EVENT_TYPES = List.of(
            "hire", "promotion", "level_change", "title_change", "team_change", "compensation_change", "departure");

    private static final String EVENT_COLUMNS = "e.user_id, u.email, e.event_type, e.effective_date";
    private static final String EVENT_ORDER = " ORDER BY u.email, e.user_id, e.effective_date, e.event_type";
    private static final String SNAPSHOT_FROM = " s LEFT JOIN timeline_event e ON e.id = s.event_id"
            + " LEFT JOIN app_user u ON u.id = e.user_id";
    private static final String SNAPSHOT_ORDER = " ORDER BY u.email, e.user_id, e.effective_date, e.event_type, s.event_id";

    private HistoryChecks() {
    }

    /** The history checks, in a stable order. */
    public static List<IntegrityCheck> all() {
        return List.of(
                eventUserMissing(),
                eventTypeUnknown(),
                eventReferenceMissing("event_level_missing", "level_id", "ladder_level", "ladder level"),
                eventReferenceMissing("event_team_missing", "team_id", "team", "team"),
                eventBeforeHire(),
                snapshotUserMissing("compensation_snapshot_user_missing", "compensation_snapshot", "Compensation snapshot"),
                snapshotEventMissing("compensation_snapshot_event_missing", "compensation_snapshot", "Compensation snapshot"),
                snapshotUserMissing("seniority_snapshot_user_missing", "seniority_snapshot", "Seniority snapshot"),
                snapshotEventMissing("seniority_snapshot_event_missing", "seniority_snapshot", "Seniority snapshot"),
                seniorityLevelMissing());
    }

    static IntegrityCheck eventUserMissing() {
        return QueryCheck.of("event_user_missing", ERROR, "timeline_event",
                "A timeline event belongs to a user that does not exist.",
                "SELECT " + EVENT_COLUMNS + " FROM timeline_event e LEFT JOIN app_user u ON u.id = e.user_id"
                        + " WHERE u.id IS NULL" + EVENT_ORDER,
                rs -> {
                    String key = eventKey(rs);
                    return new Offender(key, "Event " + key + " belongs to user id " + rs.getLong("user_id")
                            + ", which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly("user_id");
    }

    /** Compared exactly (case and blanks count), as the importers store event types in lower case. */
    static IntegrityCheck eventTypeUnknown() {
        String known = EVENT_TYPES.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "));
        return QueryCheck.of("event_type_unknown", ERROR, "timeline_event",
                "A timeline event's event_type is not one of " + String.join(", ", EVENT_TYPES) + ".",
                flavor -> "SELECT " + EVENT_COLUMNS + " FROM timeline_event e LEFT JOIN app_user u ON u.id = e.user_id"
                        + " WHERE " + flavor.exact("e.event_type") + " NOT IN (" + known + ")" + EVENT_ORDER,
                rs -> {
                    String key = eventKey(rs);
                    return new Offender(key, "Event " + key + " has the unknown event_type '" + rs.getString("event_type")
                            + "'; it must be one of " + String.join(", ", EVENT_TYPES) + ".");
                });
    }

    static IntegrityCheck eventReferenceMissing(String code, String column, String target, String noun) {
        return QueryCheck.of(code, ERROR, "timeline_event",
                "A timeline event's " + column + " points at a " + noun + " that does not exist.",
                "SELECT " + EVENT_COLUMNS + ", e." + column + " AS ref"
                        + " FROM timeline_event e LEFT JOIN app_user u ON u.id = e.user_id"
                        + " WHERE e." + column + " IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM " + target + " p WHERE p.id = e." + column + ")" + EVENT_ORDER,
                rs -> {
                    String key = eventKey(rs);
                    return new Offender(key, "Event " + key + " points at " + noun + " id " + rs.getLong("ref")
                            + " (" + column + "), which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly(column);
    }

    /** Real histories have these (a contractor period recorded before the hire), so only a warning. */
    static IntegrityCheck eventBeforeHire() {
        return QueryCheck.of("event_before_hire", WARNING, "timeline_event",
                "A timeline event is dated before its user's hired_on date.",
                "SELECT " + EVENT_COLUMNS + ", u.hired_on FROM timeline_event e JOIN app_user u ON u.id = e.user_id"
                        + " WHERE u.hired_on IS NOT NULL AND e.effective_date < u.hired_on" + EVENT_ORDER,
                rs -> {
                    String key = eventKey(rs);
                    return new Offender(key, "Event " + key + " is dated before " + rs.getString("email")
                            + " was hired (hired_on " + rs.getString("hired_on") + ").");
                });
    }

    static IntegrityCheck snapshotUserMissing(String code, String table, String noun) {
        return QueryCheck.of(code, ERROR, table,
                "A " + noun.toLowerCase(Locale.ROOT) + " belongs to a user that does not exist.",
                "SELECT s.event_id, s.user_id AS ref, " + EVENT_COLUMNS + " FROM " + table + SNAPSHOT_FROM
                        + " WHERE NOT EXISTS (SELECT 1 FROM app_user su WHERE su.id = s.user_id)" + SNAPSHOT_ORDER,
                rs -> {
                    String key = snapshotKey(rs);
                    return new Offender(key, noun + " " + key + " belongs to user id " + rs.getLong("ref")
                            + ", which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly("user_id");
    }

    static IntegrityCheck snapshotEventMissing(String code, String table, String noun) {
        return QueryCheck.of(code, ERROR, table,
                "A " + noun.toLowerCase(Locale.ROOT) + "'s source event does not exist.",
                "SELECT s.event_id, su.email AS snapshot_email, s.user_id AS snapshot_user_id, s.effective_date AS snapshot_date"
                        + " FROM " + table + " s LEFT JOIN app_user su ON su.id = s.user_id"
                        + " WHERE NOT EXISTS (SELECT 1 FROM timeline_event e WHERE e.id = s.event_id)"
                        + " ORDER BY s.event_id",
                rs -> {
                    String key = "#" + rs.getLong("event_id");
                    return new Offender(key, noun + " " + key + " of " + Keys.orId(rs, "snapshot_email", "snapshot_user_id")
                            + " dated " + rs.getString("snapshot_date") + " points at source event id " + rs.getLong("event_id")
                            + ", which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly("event_id");
    }

    static IntegrityCheck seniorityLevelMissing() {
        return QueryCheck.of("seniority_snapshot_level_missing", ERROR, "seniority_snapshot",
                "A seniority snapshot points at a ladder level that does not exist.",
                "SELECT s.event_id, s.level_id AS ref, " + EVENT_COLUMNS + " FROM seniority_snapshot" + SNAPSHOT_FROM
                        + " WHERE NOT EXISTS (SELECT 1 FROM ladder_level v WHERE v.id = s.level_id)" + SNAPSHOT_ORDER,
                rs -> {
                    String key = snapshotKey(rs);
                    return new Offender(key, "Seniority snapshot " + key + " points at ladder level id " + rs.getLong("ref")
                            + ", which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly("level_id");
    }

    /** {@code email/event_type/effective_date} from the columns of {@link #EVENT_COLUMNS}. */
    private static String eventKey(ResultSet rs) throws SQLException {
        return Keys.join(Keys.orId(rs, "email", "user_id"), rs.getString("event_type"), rs.getString("effective_date"));
    }

    /** The source event's key, or {@code #<event_id>} when the event does not exist. */
    private static String snapshotKey(ResultSet rs) throws SQLException {
        if (rs.getString("event_type") == null) {
            return "#" + rs.getLong("event_id");
        }
        return eventKey(rs);
    }
}
