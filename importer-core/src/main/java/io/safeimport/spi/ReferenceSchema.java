package io.safeimport.spi;

import static io.safeimport.spi.ColumnSpec.of;
import static io.safeimport.spi.ColumnSpec.ref;
import static io.safeimport.spi.ColumnSpec.text;
import static io.safeimport.spi.ColumnType.BOOLEAN;
import static io.safeimport.spi.ColumnType.DATE;
import static io.safeimport.spi.ColumnType.DECIMAL;
import static io.safeimport.spi.ColumnType.INTEGER;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference schema of DESIGN.md §4 as the pipeline sees it; it mirrors the Flyway migrations
 * under {@code db/migration} (text lengths included; {@code ReferenceSchemaColumnsTest} holds the two
 * together on every database). {@link #tables()} is in dependency order: a table comes after every
 * table its non-nullable references point at, so inserting in this order and deleting in the
 * reverse order never breaks a foreign key (nullable references that point forward, such as a
 * team's leader, are filled in after all inserts).
 */
public final class ReferenceSchema {

    private static final Map<String, TableSpec> TABLES = new LinkedHashMap<>();

    static {
        add(new TableSpec("ladder", List.of("ladder"),
                List.of(text("ladder", false, 100), text("title", true, 200), text("description", true, 2000)),
                false, "import ladders --csv ladders.csv", "ladder"));
        add(new TableSpec("ladder_aspect", List.of("ladder_id", "aspect"),
                List.of(ref("ladder_id", "ladder", false), text("aspect", false, 100), text("title", true, 200), text("description", true, 2000)),
                false, "import ladders --csv ladders.csv", "ladder aspect"));
        add(new TableSpec("ladder_level", List.of("ladder_id", "level"),
                List.of(ref("ladder_id", "ladder", false), of("level", INTEGER, false), text("title", true, 200),
                        text("description", true, 2000), of("pay_band_min", DECIMAL, true), of("pay_band_max", DECIMAL, true)),
                false, "import ladders --csv ladders.csv", "ladder level"));
        add(new TableSpec("organization", List.of("organization"),
                List.of(text("organization", false, 200), text("description", true, 2000)),
                false, "import org --csv organizations.csv", "organization"));
        add(new TableSpec("chapter", List.of("chapter"),
                List.of(text("chapter", false, 200), ref("organization_id", "organization", false),
                        ref("leader_id", "app_user", true), text("description", true, 2000)),
                false, "import org --csv chapters.csv", "chapter"));
        add(new TableSpec("tribe", List.of("tribe"),
                List.of(text("tribe", false, 200), ref("organization_id", "organization", false),
                        ref("leader_id", "app_user", true), text("description", true, 2000)),
                false, "import org --csv tribes.csv", "tribe"));
        add(new TableSpec("team", List.of("team"),
                List.of(text("team", false, 200), ref("tribe_id", "tribe", false), text("department", false, 200),
                        ref("leader_id", "app_user", true), text("description", true, 2000)),
                false, "import org --csv teams.csv", "team"));
        add(new TableSpec("app_user", List.of("email"),
                List.of(text("email", false, 254), text("first_name", true, 200), text("last_name", true, 200), text("title", true, 200),
                        ref("team_id", "team", true), ref("chapter_id", "chapter", true),
                        ref("level_id", "ladder_level", true), ref("manager_id", "app_user", true),
                        of("hired_on", DATE, true), ColumnSpec.withDefault("active", BOOLEAN, Boolean.TRUE)),
                true, "import users --csv users.csv", "user"));
        add(new TableSpec("timeline_event", List.of("user_id", "event_type", "effective_date"),
                List.of(ref("user_id", "app_user", false), text("event_type", false, 40), of("effective_date", DATE, false),
                        text("summary", true, 2000), ref("level_id", "ladder_level", true), text("title", true, 200),
                        ref("team_id", "team", true), of("salary", DECIMAL, true), text("currency", true, 3),
                        text("pay_band", true, 50)),
                true, "import history --csv history.csv", "event"));
        add(new TableSpec("compensation_snapshot", List.of("event_id"),
                List.of(ref("event_id", "timeline_event", false), ref("user_id", "app_user", false),
                        of("effective_date", DATE, false), of("salary", DECIMAL, false), text("currency", true, 3),
                        text("pay_band", true, 50)),
                true, "import history --csv history.csv", "compensation snapshot"));
        add(new TableSpec("seniority_snapshot", List.of("event_id"),
                List.of(ref("event_id", "timeline_event", false), ref("user_id", "app_user", false),
                        of("effective_date", DATE, false), ref("level_id", "ladder_level", false)),
                true, "import history --csv history.csv", "seniority snapshot"));
    }

    private ReferenceSchema() {
    }

    private static void add(TableSpec spec) {
        TABLES.put(spec.name(), spec);
    }

    /** Every reference table, in dependency order. */
    public static List<TableSpec> tables() {
        return List.copyOf(TABLES.values());
    }

    /** The table of this name; a programming error if there is none. */
    public static TableSpec table(String name) {
        TableSpec spec = TABLES.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("not a reference table: " + name);
        }
        return spec;
    }

    /** The most characters the text column {@code table.column} holds (see {@link ColumnSpec#length}). */
    public static int length(String table, String column) {
        return table(table).requireColumn(column).length();
    }

    /** Position in dependency order. */
    public static int order(String table) {
        int i = 0;
        for (String name : TABLES.keySet()) {
            if (name.equals(table)) {
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("not a reference table: " + table);
    }
}
