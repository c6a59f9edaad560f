package io.safeimport.importers.declared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.catalog.ColumnInfo;
import io.safeimport.internal.catalog.TableInfo;
import io.safeimport.internal.config.ConfigFile;
import io.safeimport.internal.config.SafeImportConfig;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.CsvColumn;
import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.CsvRow;
import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.Ref;
import io.safeimport.spi.RowEmitter;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a declared importer turns one CSV row into a row of the operator's table, without a
 * database: the catalog it builds from the tables' descriptions, the typed values, the key, the
 * references by natural key, and the rows it refuses.
 */
class ConfiguredImporterTest {
    private static final String CONFIG = """
            importers:
              teams:
                table: team_t
                key: [team]
                columns:
                  team: name
              people:
                table: person_t
                key: [email]
                columns:
                  email: {column: email, format: email}
                  name: full_name
                  salary: salary
                  born: born
                  role: role
                  team: {column: team_id, ref: team_t.name}
                  boss: {column: boss_id, ref: person_t.email, format: email}
            """;

    private static ColumnInfo column(String name, int type, String typeName, int length, int precision, int scale, boolean nullable,
                                     String dflt, boolean auto, List<String> values) {
        return new ColumnInfo(name, type, typeName, length, precision, scale, nullable, dflt, auto, values);
    }

    private static final TableInfo TEAM = new TableInfo("team_t", List.of(
            column("team_pk", Types.INTEGER, "INT", 0, 10, 0, false, null, true, List.of()),
            column("name", Types.VARCHAR, "VARCHAR", 40, 0, 0, false, null, false, List.of())),
            List.of("team_pk"), List.of(List.of("team_pk"), List.of("name")), List.of());

    private static final TableInfo PERSON = new TableInfo("person_t", List.of(
            column("person_pk", Types.BIGINT, "BIGINT", 0, 19, 0, false, null, true, List.of()),
            column("email", Types.VARCHAR, "VARCHAR", 254, 0, 0, false, null, false, List.of()),
            column("full_name", Types.VARCHAR, "VARCHAR", 5, 0, 0, false, null, false, List.of()),
            column("salary", Types.DECIMAL, "DECIMAL", 0, 6, 2, true, null, false, List.of()),
            column("born", Types.DATE, "DATE", 0, 0, 0, true, null, false, List.of()),
            column("role", Types.VARCHAR, "ENUM", 8, 0, 0, false, "'staff'", false, List.of("staff", "boss")),
            column("team_id", Types.INTEGER, "INT", 0, 10, 0, false, null, false, List.of()),
            column("boss_id", Types.BIGINT, "BIGINT", 0, 19, 0, true, null, false, List.of())),
            List.of("person_pk"), List.of(List.of("person_pk"), List.of("email")), List.of());

    @TempDir
    Path dir;

    private DeclaredCatalog catalog(String config, TableInfo... tables) throws IOException {
        SafeImportConfig cfg = ConfigFile.read(Files.writeString(dir.resolve("safeimport.yml"), config));
        Map<String, TableInfo> byName = new LinkedHashMap<>();
        for (TableInfo t : tables) {
            byName.put(t.name(), t);
        }
        return DeclaredCatalog.build(cfg, byName);
    }

    private ConfiguredImporter people() throws IOException {
        DeclaredCatalog built = catalog(CONFIG, TEAM, PERSON);
        SafeImportConfig cfg = ConfigFile.read(dir.resolve("safeimport.yml"));
        return new ConfiguredImporter(cfg.importers().get("people"), built.catalog(), built.rules("people"), List.of());
    }

    @Test
    void theCatalogDescribesEachTableByItsOwnKeyAndColumnsInDependencyOrder() throws IOException {
        DeclaredCatalog built = catalog(CONFIG, TEAM, PERSON);
        assertEquals(List.of(), built.problems());
        Catalog catalog = built.catalog();
        assertEquals(List.of("team_t", "person_t"), catalog.tables().stream().map(TableSpec::name).toList(),
                "a person's team is NOT NULL: teams first");
        TableSpec person = catalog.table("person_t");
        assertEquals("person_pk", person.id());
        assertEquals(List.of("email"), person.key());
        assertEquals("team_t", person.requireColumn("team_id").references());
        assertEquals("boss_id", person.selfReference(), "the column that refers to its own table");
        assertEquals(ColumnType.DECIMAL, person.requireColumn("salary").type());
        assertEquals(5, person.requireColumn("full_name").length());
        assertEquals(TEAM.fingerprint(), catalog.fingerprints().get("team_t"));
    }

    @Test
    void aRowBecomesItsKeyTypedValuesAndReferencesByNaturalKey() throws IOException {
        Row row = new Row(Map.of("email", " Ann@Example.COM ".strip(), "name", "Ann", "salary", "1200.5", "born", "1990-04-01",
                "role", "BOSS", "team", "Payments", "boss", "Bo@Example.com"));
        List<TargetRow> out = map(people(), row);
        assertEquals(List.of(), row.rejections);
        assertEquals(1, out.size());
        TargetRow t = out.get(0);
        assertEquals("person_t", t.table());
        assertEquals(Map.of("email", "ann@example.com"), t.key());
        assertEquals(new BigDecimal("1200.5"), t.values().get("salary"));
        assertEquals(LocalDate.of(1990, 4, 1), t.values().get("born"));
        assertEquals("boss", t.values().get("role"), "an ENUM value as the column spells it");
        assertEquals(Ref.to("team_t", "Payments"), t.values().get("team_id"));
        assertEquals(Ref.to("person_t", "bo@example.com"), t.values().get("boss_id"), "an e-mail reference is lower-cased");
        assertTrue(!t.values().containsKey("email"), "the key is not among the values");
    }

    @Test
    void blankCellsAreLeftOutTheKeyIsRequiredAndNotNullColumnsOnlyInNewRows() throws IOException {
        Row blanks = new Row(Map.of("email", "cy@example.com", "name", "Cy", "team", "Payments"));
        List<TargetRow> out = map(people(), blanks);
        assertEquals(List.of(), blanks.rejections);
        assertEquals(Map.of("full_name", "Cy", "team_id", Ref.to("team_t", "Payments")), out.get(0).values(),
                "a blank never erases: blank cells are absent");

        Row missing = new Row(Map.of("name", "Di"));
        assertEquals(List.of(), map(people(), missing));
        assertEquals(List.of("email required"), missing.rejections, "only the key is required in every row");
        CsvLayout layout = people().layout(List.of(), ImportOptions.defaults());
        assertEquals(List.of(new CsvColumn("email", true), new CsvColumn("name", false), new CsvColumn("salary", false),
                new CsvColumn("born", false), new CsvColumn("role", false), new CsvColumn("team", false), new CsvColumn("boss", false)),
                layout.columns(), "a file of updates may leave out any column but the key");
        assertEquals(List.of("full_name", "team_id"), people().requiredInNewRows("person_t"),
                "NOT NULL without a default is required in new rows; with a default (role) or nullable it is not");
        assertEquals(List.of(), people().requiredInNewRows("team_t"));
    }

    @Test
    void badValuesAreRefusedByTheColumnsOwnType() throws IOException {
        Row row = new Row(Map.of("email", "not-an-address", "name", "Too long", "salary", "12345.678", "born", "1990-02-30",
                "role", "king", "team", "Payments"));
        assertEquals(List.of(), map(people(), row));
        assertEquals(List.of("email invalid_email", "name too_long", "salary too_many_decimals", "born invalid_date",
                "role invalid_value"), row.rejections);
    }

    @Test
    void tablesSafeimportCannotImportIntoYetAreProblemsNamingTheLine() throws IOException {
        // a natural primary key is how rows are found: the importer must be keyed by it
        TableInfo coded = new TableInfo("team_t", List.of(
                column("code", Types.VARCHAR, "VARCHAR", 8, 0, 0, false, null, false, List.of()),
                column("name", Types.VARCHAR, "VARCHAR", 40, 0, 0, false, null, false, List.of())),
                List.of("code"), List.of(List.of("code"), List.of("name")), List.of());
        DeclaredCatalog built = catalog(CONFIG, coded, PERSON);
        assertTrue(built.problems().get(0).toString().startsWith("safeimport.yml:3: table team_t: its primary key [code] is not filled"
                + " by the database, so it is the key rows are found by: key the importer by the CSV columns of [code]"), built.problems().toString());
        assertTrue(built.problems().stream().anyMatch(p -> p.toString().startsWith("safeimport.yml:16: ref team_t.name: team_t's primary key"
                + " code is not filled by the database, so a reference stores that key itself; refer to its rows by team_t.code")),
                built.problems().toString());

        // keyed by its natural primary key, a table is usable; a reference to it must be able to hold that key
        TableInfo natural = new TableInfo("team_t", List.of(
                column("name", Types.VARCHAR, "VARCHAR", 40, 0, 0, false, null, false, List.of())),
                List.of("name"), List.of(List.of("name")), List.of());
        DeclaredCatalog keyed = catalog(CONFIG, natural, PERSON);
        assertEquals(1, keyed.problems().size(), keyed.problems().toString());
        assertEquals("safeimport.yml:16: ref team_t.name: column team_id is INT but would hold team_t's key name, which is VARCHAR;"
                + " declare the reference on a column of that type", keyed.problems().get(0).toString());
        TableInfo person = new TableInfo("person_t", PERSON.columns().stream()
                .map(c -> c.name().equals("team_id") ? column("team_id", Types.VARCHAR, "VARCHAR", 40, 0, 0, false, null, false, List.of()) : c)
                .toList(), PERSON.primaryKey(), PERSON.uniqueKeys(), PERSON.foreignKeys());
        DeclaredCatalog fits = catalog(CONFIG, natural, person);
        assertEquals(List.of(), fits.problems());
        assertTrue(fits.catalog().table("team_t").keyed());
        assertEquals(ColumnType.TEXT, fits.catalog().table("person_t").requireColumn("team_id").type(), "it holds the team's name");
        assertEquals("team_t", fits.catalog().table("person_t").requireColumn("team_id").references());

        TableInfo floats = new TableInfo("team_t", List.of(TEAM.columns().get(0),
                column("name", Types.DOUBLE, "DOUBLE", 0, 0, 0, false, null, false, List.of())),
                List.of("team_pk"), List.of(List.of("team_pk"), List.of("name")), List.of());
        DeclaredCatalog typed = catalog(CONFIG, floats, PERSON);
        assertTrue(typed.problems().get(0).message().contains("is DOUBLE, which safeimport cannot import yet"), typed.problems().toString());
        assertTrue(typed.problems().stream().anyMatch(p -> p.toString().startsWith("safeimport.yml:16: ref team_t.name: that column is DOUBLE")),
                "a reference by a column that cannot be looked up is named at the reference: " + typed.problems());
    }

    private static List<TargetRow> map(ConfiguredImporter importer, Row row) {
        List<TargetRow> out = new ArrayList<>();
        importer.layout(new ArrayList<>(row.cells.keySet()), ImportOptions.defaults()).mapper().map(row, new RowEmitter() {
            @Override
            public void emit(TargetRow t) {
                out.add(t);
            }

            @Override
            public void skip(String reason) {
                throw new AssertionError("a declared importer skips nothing: " + reason);
            }
        });
        return out;
    }

    /** One CSV record whose rejections are kept as {@code "column code"}. */
    private static final class Row implements CsvRow {
        final Map<String, String> cells;
        final List<String> rejections = new ArrayList<>();

        Row(Map<String, String> cells) {
            this.cells = cells;
        }

        @Override
        public String file() {
            return "people.csv";
        }

        @Override
        public long line() {
            return 2;
        }

        @Override
        public boolean has(String column) {
            return cells.containsKey(column);
        }

        @Override
        public String get(String column) {
            return cells.get(column);
        }

        @Override
        public void reject(String column, String code, String message) {
            rejections.add(column + " " + code);
        }

        @Override
        public boolean rejected() {
            return !rejections.isEmpty();
        }
    }
}
