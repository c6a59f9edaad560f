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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code import ladders}: career ladders, their aspects and their levels, in one file. A row's
 * kind is its {@code type} column, or without one: a row with a level is a level, with an aspect
 * an aspect, else a ladder. {@code --ladders-only}, {@code --aspects-only} and {@code --levels-only}
 * import one kind and report the other rows as skipped.
 */
public final class LaddersImporter implements BuiltInImporter {
    private static final Set<String> TYPES = Set.of("ladder", "aspect", "level");

    @Override
    public String name() {
        return "ladders";
    }

    @Override
    public String description() {
        return "career ladders, aspects and levels (ladders.csv)";
    }

    @Override
    public CsvLayout layout(List<String> header, ImportOptions options) {
        String only = options.only();
        return new CsvLayout("ladders",
                List.of(optional("type"), required("ladder"), optional("aspect"), optional("level"), optional("title"),
                        optional("description"), optional("pay_band_min"), optional("pay_band_max")),
                List.of("ladder", "ladder_aspect", "ladder_level"), (row, out) -> map(row, out, only));
    }

    @Override
    public List<IntegrityCheck> checks() {
        return IntegrityChecks.forTables(List.of("ladder", "ladder_aspect", "ladder_level"));
    }

    private static void map(CsvRow row, RowEmitter out, String only) {
        String type = Values.oneOf(row, "type", TYPES);
        if (type == null && !row.rejected()) {
            type = row.get("level") != null ? "level" : row.get("aspect") != null ? "aspect" : "ladder";
        }
        String ladder = Values.required(row, "ladder", ReferenceSchema.length("ladder", "ladder"));
        if (row.rejected()) {
            return;
        }
        if (only != null && !only.equals(type)) {
            out.skip(type + " row (--" + only + "s-only)");
            return;
        }
        String table = switch (type) {
            case "ladder" -> "ladder";
            case "aspect" -> "ladder_aspect";
            default -> "ladder_level";
        };
        String title = Values.text(row, "title", ReferenceSchema.length(table, "title"));
        String description = Values.text(row, "description", ReferenceSchema.length(table, "description"));
        Map<String, Object> values = new LinkedHashMap<>();
        switch (type) {
            case "ladder" -> {
                if (title == null && row.get("title") == null) {
                    row.reject("title", "required", "a ladder row needs a title");
                }
                if (row.rejected()) {
                    return;
                }
                UsersImporter.put(values, "title", title);
                UsersImporter.put(values, "description", description);
                out.emit(new TargetRow("ladder", Map.of("ladder", ladder), values, false));
            }
            case "aspect" -> {
                String aspect = Values.text(row, "aspect", ReferenceSchema.length("ladder_aspect", "aspect"));
                if (aspect == null && row.get("aspect") == null) {
                    row.reject("aspect", "required", "an aspect row needs 'aspect'");
                }
                if (row.rejected()) {
                    out.references("ladder_aspect", Map.of("ladder_id", Ref.to("ladder", ladder)));
                    return;
                }
                UsersImporter.put(values, "title", title);
                UsersImporter.put(values, "description", description);
                out.emit(new TargetRow("ladder_aspect", key("ladder_id", Ref.to("ladder", ladder), "aspect", aspect), values, false));
            }
            default -> {
                Integer level = Values.integer(row, "level", 1, 1000);
                if (level == null && row.get("level") == null) {
                    row.reject("level", "required", "a level row needs 'level' (a number from 1)");
                }
                if (title == null && row.get("title") == null) {
                    row.reject("title", "required", "a level row needs a title");
                }
                BigDecimal min = Values.amount(row, "pay_band_min");
                BigDecimal max = Values.amount(row, "pay_band_max");
                if (min != null && max != null && min.compareTo(max) > 0) {
                    row.reject("pay_band_min", "pay_band_inverted", "pay_band_min " + min + " is above pay_band_max " + max);
                }
                if (row.rejected()) {
                    out.references("ladder_level", Map.of("ladder_id", Ref.to("ladder", ladder)));
                    return;
                }
                UsersImporter.put(values, "title", title);
                UsersImporter.put(values, "description", description);
                UsersImporter.put(values, "pay_band_min", min);
                UsersImporter.put(values, "pay_band_max", max);
                out.emit(new TargetRow("ladder_level", key("ladder_id", Ref.to("ladder", ladder), "level", level), values, false));
            }
        }
    }

    /**
     * A two-part key in the table's key order. {@code Map.of} iterates in an order that changes from
     * one JVM to the next, which made the same preview print {@code ENG/craft} once and {@code craft/ENG} the next time.
     */
    private static Map<String, Object> key(String first, Object firstValue, String second, Object secondValue) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put(first, firstValue);
        key.put(second, secondValue);
        return key;
    }
}
