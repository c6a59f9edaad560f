package io.safeimport.importers;

import static io.safeimport.spi.CsvColumn.optional;
import static io.safeimport.spi.CsvColumn.required;

import io.safeimport.spi.AcyclicReference;
import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.CsvRow;
import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Ref;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.RowEmitter;
import io.safeimport.spi.TargetRow;
import io.safeimport.validators.IntegrityChecks;
import io.safeimport.validators.Values;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code import users}: people, keyed by email, with their team, chapter, level and manager. */
public final class UsersImporter implements BuiltInImporter {

    static final CsvLayout LAYOUT = new CsvLayout("users",
            List.of(required("email"), required("first_name"), required("last_name"), optional("title"),
                    optional("team"), optional("chapter"), optional("ladder"), optional("level"),
                    optional("manager_email"), optional("hired_on"), optional("active")),
            List.of("app_user"), UsersImporter::map);

    @Override
    public String name() {
        return "users";
    }

    @Override
    public String description() {
        return "people (users.csv), keyed by email";
    }

    @Override
    public CsvLayout layout(List<String> header, ImportOptions options) {
        return LAYOUT;
    }

    @Override
    public List<IntegrityCheck> checks() {
        return IntegrityChecks.forTables(List.of("app_user"));
    }

    /** A run never closes a manager cycle (DESIGN.md §5's {@code user_manager_cycle}, refused at planning). */
    @Override
    public AcyclicReference acyclic() {
        return new AcyclicReference("app_user", "manager_email", "manager_cycle",
                "'%1$s' would end up managing themself through a chain of managers (a manager cycle through %2$d people);"
                        + " fix manager_email on one of them");
    }

    static void map(CsvRow row, RowEmitter out) {
        String email = Values.requiredEmail(row, "email");
        String firstName = Values.required(row, "first_name", ReferenceSchema.length("app_user", "first_name"));
        String lastName = Values.required(row, "last_name", ReferenceSchema.length("app_user", "last_name"));
        String title = Values.text(row, "title", ReferenceSchema.length("app_user", "title"));
        String team = Values.text(row, "team", ReferenceSchema.length("team", "team"));
        String chapter = Values.text(row, "chapter", ReferenceSchema.length("chapter", "chapter"));
        Ref level = LevelRefs.level(row, "ladder", "level");
        String manager = Values.email(row, "manager_email");
        LocalDate hiredOn = Values.date(row, "hired_on");
        Boolean active = Values.bool(row, "active");
        if (email != null && email.equals(manager)) {
            row.reject("manager_email", "self_manager", "'" + email + "' is given as their own manager; leave manager_email blank or name someone else");
            manager = null;
        }
        if (row.rejected()) {
            Map<String, Ref> refs = new LinkedHashMap<>();
            put(refs, "team_id", team == null ? null : Ref.to("team", team));
            put(refs, "chapter_id", chapter == null ? null : Ref.to("chapter", chapter));
            put(refs, "level_id", level);
            put(refs, "manager_id", manager == null ? null : Ref.to("app_user", manager));
            out.references("app_user", refs);
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        put(values, "first_name", firstName);
        put(values, "last_name", lastName);
        put(values, "title", title);
        put(values, "team_id", team == null ? null : Ref.to("team", team));
        put(values, "chapter_id", chapter == null ? null : Ref.to("chapter", chapter));
        put(values, "level_id", level);
        put(values, "manager_id", manager == null ? null : Ref.to("app_user", manager));
        put(values, "hired_on", hiredOn);
        put(values, "active", active);
        out.emit(new TargetRow("app_user", Map.of("email", email), values, false));
    }

    static <T> void put(Map<String, T> values, String column, T value) {
        if (value != null) {
            values.put(column, value);
        }
    }
}
