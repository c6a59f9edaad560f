package io.safeimport.importers;

import static io.safeimport.spi.CsvColumn.optional;
import static io.safeimport.spi.CsvColumn.required;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code import org}: organizations, chapters, tribes or teams — the kind is the first header
 * column. Leaders are users named by email; with {@code --create-users} an unknown leader is
 * created as a user with only an email, for a later users import to complete.
 */
public final class OrgImporter implements BuiltInImporter {

    @Override
    public String name() {
        return "org";
    }

    @Override
    public String description() {
        return "organization structure: organizations.csv, chapters.csv, tribes.csv or teams.csv (kind from the first column)";
    }

    @Override
    public CsvLayout layout(List<String> header, ImportOptions options) {
        String kind = header.isEmpty() ? "" : header.get(0);
        boolean create = options.createUsers();
        return switch (kind) {
            case "organization" -> new CsvLayout("organizations", List.of(required("organization"), optional("description")),
                    List.of("organization"), OrgImporter::organization);
            case "chapter" -> new CsvLayout("chapters",
                    List.of(required("chapter"), required("organization"), optional("leader_email"), optional("description")),
                    tables(create, "chapter"), (row, out) -> unit(row, out, "chapter", "organization", "organization", create));
            case "tribe" -> new CsvLayout("tribes",
                    List.of(required("tribe"), required("organization"), optional("leader_email"), optional("description")),
                    tables(create, "tribe"), (row, out) -> unit(row, out, "tribe", "organization", "organization", create));
            case "team" -> new CsvLayout("teams",
                    List.of(required("team"), required("tribe"), required("department"), optional("leader_email"), optional("description")),
                    tables(create, "team"), (row, out) -> unit(row, out, "team", "tribe", "tribe", create));
            default -> throw new SafeImportException(ExitCode.REJECTED, "cannot tell what this org file holds: its first column is '"
                    + kind + "' but must be organization, chapter, tribe or team (see DESIGN.md §4 for the headers)");
        };
    }

    private static List<String> tables(boolean createUsers, String table) {
        List<String> t = new ArrayList<>();
        if (createUsers) {
            t.add("app_user");
        }
        t.add(table);
        return t;
    }

    @Override
    public List<IntegrityCheck> checks() {
        return IntegrityChecks.forTables(List.of("organization", "chapter", "tribe", "team", "app_user"));
    }

    private static void organization(CsvRow row, RowEmitter out) {
        String name = Values.required(row, "organization", ReferenceSchema.length("organization", "organization"));
        String description = Values.text(row, "description", ReferenceSchema.length("organization", "description"));
        if (row.rejected()) {
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        UsersImporter.put(values, "description", description);
        out.emit(new TargetRow("organization", Map.of("organization", name), values, false));
    }

    private static void unit(CsvRow row, RowEmitter out, String table, String parentColumn, String parentTable, boolean createUsers) {
        String name = Values.required(row, table, ReferenceSchema.length(table, table));
        String parent = Values.required(row, parentColumn, ReferenceSchema.length(parentTable, parentTable));
        String department = "team".equals(table) ? Values.required(row, "department", ReferenceSchema.length("team", "department")) : null;
        String leader = Values.email(row, "leader_email");
        String description = Values.text(row, "description", ReferenceSchema.length(table, "description"));
        if (row.rejected()) {
            Map<String, Ref> refs = new LinkedHashMap<>();
            UsersImporter.put(refs, parentTable + "_id", parent == null ? null : Ref.to(parentTable, parent));
            // with --create-users an unknown leader is created, not missing
            UsersImporter.put(refs, "leader_id", leader == null || createUsers ? null : Ref.to("app_user", leader));
            out.references(table, refs);
            return;
        }
        if (leader != null && createUsers) {
            // a placeholder user: inserted if new, never changes an existing user
            out.emit(new TargetRow("app_user", Map.of("email", leader), Map.of(), true));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(parentTable + "_id", Ref.to(parentTable, parent));
        UsersImporter.put(values, "department", department);
        UsersImporter.put(values, "leader_id", leader == null ? null : Ref.to("app_user", leader));
        UsersImporter.put(values, "description", description);
        out.emit(new TargetRow(table, Map.of(table, name), values, false));
    }
}
