package io.safeimport.importers;

import static io.safeimport.spi.CsvColumn.optional;
import static io.safeimport.spi.CsvColumn.required;

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
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code import history}: timeline events keyed by (email, event_type, effective_date). A row with
 * a salary also makes a compensation snapshot, a row with ladder+level a seniority snapshot, each
 * pointing at its source event. Events that exist are skipped by default; with
 * {@code --update-existing} they and their snapshots are updated together.
 */
public final class HistoryImporter implements BuiltInImporter {
    /** The event types of DESIGN.md §4. */
    public static final Set<String> EVENT_TYPES = Set.of("hire", "promotion", "level_change", "title_change",
            "team_change", "compensation_change", "departure");

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String description() {
        return "timeline events with compensation and seniority snapshots (history.csv)";
    }

    @Override
    public CsvLayout layout(List<String> header, ImportOptions options) {
        boolean insertOnly = !options.updateExisting();
        return new CsvLayout("history",
                List.of(required("email"), required("event_type"), required("effective_date"), optional("summary"),
                        optional("ladder"), optional("level"), optional("title"), optional("team"), optional("salary"),
                        optional("currency"), optional("pay_band")),
                List.of("timeline_event", "compensation_snapshot", "seniority_snapshot"),
                (row, out) -> map(row, out, insertOnly));
    }

    @Override
    public List<IntegrityCheck> checks() {
        return IntegrityChecks.forTables(List.of("timeline_event", "compensation_snapshot", "seniority_snapshot"));
    }

    private static void map(CsvRow row, RowEmitter out, boolean insertOnly) {
        String email = Values.requiredEmail(row, "email");
        String type = row.get("event_type") == null ? null : Values.oneOf(row, "event_type", EVENT_TYPES);
        if (row.get("event_type") == null) {
            row.reject("event_type", "required", "'event_type' is required and is blank");
        }
        LocalDate date = Values.requiredDate(row, "effective_date");
        String summary = Values.text(row, "summary", ReferenceSchema.length("timeline_event", "summary"));
        Ref level = LevelRefs.level(row, "ladder", "level");
        String title = Values.text(row, "title", ReferenceSchema.length("timeline_event", "title"));
        String team = Values.text(row, "team", ReferenceSchema.length("team", "team"));
        BigDecimal salary = Values.amount(row, "salary");
        String currency = Values.currency(row, "currency");
        String payBand = Values.text(row, "pay_band", ReferenceSchema.length("timeline_event", "pay_band"));
        if (currency != null && row.get("salary") == null) {
            row.reject("salary", "salary_required", "a currency is given without a salary");
        }
        if (row.rejected()) {
            Map<String, Ref> refs = new LinkedHashMap<>();
            UsersImporter.put(refs, "user_id", email == null ? null : Ref.to("app_user", email));
            UsersImporter.put(refs, "level_id", level);
            UsersImporter.put(refs, "team_id", team == null ? null : Ref.to("team", team));
            out.references("timeline_event", refs);
            return;
        }
        Ref user = Ref.to("app_user", email);
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("user_id", user);
        key.put("event_type", type);
        key.put("effective_date", date);
        Map<String, Object> values = new LinkedHashMap<>();
        UsersImporter.put(values, "summary", summary);
        UsersImporter.put(values, "level_id", level);
        UsersImporter.put(values, "title", title);
        UsersImporter.put(values, "team_id", team == null ? null : Ref.to("team", team));
        UsersImporter.put(values, "salary", salary);
        UsersImporter.put(values, "currency", currency);
        UsersImporter.put(values, "pay_band", payBand);
        out.emit(new TargetRow("timeline_event", key, values, insertOnly));
        Ref event = Ref.to("timeline_event", user, type, date);
        if (salary != null) {
            Map<String, Object> comp = new LinkedHashMap<>();
            comp.put("user_id", user);
            comp.put("effective_date", date);
            comp.put("salary", salary);
            UsersImporter.put(comp, "currency", currency);
            UsersImporter.put(comp, "pay_band", payBand);
            out.emit(new TargetRow("compensation_snapshot", Map.of("event_id", event), comp, insertOnly));
        }
        if (level != null) {
            Map<String, Object> sen = new LinkedHashMap<>();
            sen.put("user_id", user);
            sen.put("effective_date", date);
            sen.put("level_id", level);
            out.emit(new TargetRow("seniority_snapshot", Map.of("event_id", event), sen, insertOnly));
        }
    }
}
