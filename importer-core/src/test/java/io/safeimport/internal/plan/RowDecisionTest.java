package io.safeimport.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.safeimport.internal.plan.RowDecision.Difference;
import io.safeimport.internal.plan.RowDecision.Insert;
import io.safeimport.internal.plan.RowDecision.Kept;
import io.safeimport.internal.plan.RowDecision.Skipped;
import io.safeimport.internal.plan.RowDecision.Unchanged;
import io.safeimport.internal.plan.RowDecision.Update;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decision for one row against the row stored under its key (DESIGN.md §4 upsert rules), without
 * a database: insert, update (with what changes), unchanged, kept, skipped.
 */
class RowDecisionTest {
    private static final TableSpec USERS = ReferenceSchema.table("app_user");
    private static final Ref PAYMENTS = Ref.to("team", "Payments");
    private static final Ref PLATFORM = Ref.to("team", "Platform");
    private static final Ref BOSS = Ref.to("app_user", "boss@example.com");
    /** A team only this run creates: it has no id yet. */
    private static final Ref NEW_TEAM = Ref.to("team", "Brand New");
    private static final Map<Ref, Long> RESOLVED = Map.of(PAYMENTS, 7L, PLATFORM, 8L, BOSS, 40L);

    /** Ann as stored: in team Payments (id 7), no manager or chapter, hired 2021-04-01. */
    private static Map<String, Object> storedAnn() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1L);
        row.put("email", "ann@example.com");
        row.put("first_name", "Ann");
        row.put("last_name", "Lee");
        row.put("title", "Engineer");
        row.put("team_id", 7L);
        row.put("chapter_id", null);
        row.put("level_id", null);
        row.put("manager_id", null);
        row.put("hired_on", LocalDate.of(2021, 4, 1));
        row.put("active", Boolean.TRUE);
        return row;
    }

    /** Ann's row in users.csv with these columns filled, in this order. */
    private static TargetRow ann(Object... columnsAndValues) {
        return new TargetRow("app_user", Map.of("email", "ann@example.com"), ordered(columnsAndValues), false);
    }

    private static Map<String, Object> ordered(Object... columnsAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            values.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return values;
    }

    private static RowDecision decide(Map<String, Object> stored, TargetRow row, boolean forceUpdate) {
        return RowDecision.decide(ReferenceSchema.table(row.table()), stored, row, RESOLVED, forceUpdate);
    }

    private static ColumnSpec column(String name) {
        return USERS.requireColumn(name);
    }

    // insert

    @ParameterizedTest(name = "insert-only {0}")
    @ValueSource(booleans = {false, true})
    void rowWithNoStoredRowIsInsertedWithItsKeyAndEveryValueTheFileGives(boolean insertOnly) {
        TargetRow row = new TargetRow("app_user", Map.of("email", "ann@example.com"),
                ordered("first_name", "Ann", "team_id", PAYMENTS, "hired_on", LocalDate.of(2021, 4, 1)), insertOnly);

        RowDecision decision = decide(null, row, false);

        Insert insert = assertInstanceOf(Insert.class, decision);
        assertEquals("insert", decision.action());
        assertEquals(List.of("email", "first_name", "team_id", "hired_on"), List.copyOf(insert.values().keySet()), "key first, then the file's order");
        assertEquals(ordered("email", "ann@example.com", "first_name", "Ann", "team_id", PAYMENTS, "hired_on", LocalDate.of(2021, 4, 1)),
                insert.values());
        assertEquals(List.of(), decision.differences());
        assertEquals(List.of(), decision.keptColumns());
    }

    @Test
    void nullOrBlankValueOfANewRowIsLeftOutOfTheInsertSoTheColumnGetsItsDefault() {
        Map<String, Object> values = ordered("first_name", "Ann", "title", " ", "last_name", "");
        values.put("active", null);

        RowDecision decision = RowDecision.decide(USERS, null, new TargetRow("app_user", Map.of("email", "ann@example.com"), values, false),
                RESOLVED, false);

        assertEquals(ordered("email", "ann@example.com", "first_name", "Ann"), assertInstanceOf(Insert.class, decision).values());
    }

    // update

    @Test
    void changedValueIsUpdatedWithWhatWasStoredAndWhatTheFileSays() {
        RowDecision decision = decide(storedAnn(), ann("first_name", "Ann", "title", "Staff Engineer"), false);

        Update update = assertInstanceOf(Update.class, decision);
        assertEquals("update", decision.action());
        assertEquals(Map.of("title", "Staff Engineer"), update.changes(), "an equal value is not written again");
        assertEquals(List.of(new Difference(column("title"), "Engineer", "Staff Engineer", false)), update.differences());
        assertEquals(List.of(), update.keptColumns());
    }

    @Test
    void emptyStoredValueIsFilled() {
        Map<String, Object> noTitle = storedAnn();
        noTitle.put("title", null);

        Update filled = assertInstanceOf(Update.class, decide(noTitle, ann("title", "Engineer"), false));

        assertEquals(Map.of("title", "Engineer"), filled.changes());
        assertEquals(List.of(new Difference(column("title"), null, "Engineer", false)), filled.differences());
    }

    @Test
    void changesAndDifferencesFollowTheFileRowsColumnOrder() {
        RowDecision decision = decide(storedAnn(), ann("title", "Lead", "hired_on", LocalDate.of(2020, 1, 2), "first_name", "Anne"), false);

        Update update = assertInstanceOf(Update.class, decision);
        assertEquals(List.of("title", "hired_on", "first_name"), List.copyOf(update.changes().keySet()));
        assertEquals(List.of("title", "hired_on", "first_name"), update.differences().stream().map(d -> d.column().name()).toList());
    }

    @Test
    void textIsComparedExactlySoAChangeOfCaseIsAnUpdate() {
        Update update = assertInstanceOf(Update.class, decide(storedAnn(), ann("title", "engineer"), false));

        assertEquals(Map.of("title", "engineer"), update.changes());
    }

    // blank never erases

    /** Every non-key column of every table, each filled in the stored row. */
    static Stream<Arguments> everyColumn() {
        List<Arguments> out = new ArrayList<>();
        for (TableSpec spec : ReferenceSchema.tables()) {
            for (ColumnSpec c : spec.columns()) {
                if (!spec.isKey(c.name())) {
                    out.add(Arguments.of(spec.name(), c.name()));
                }
            }
        }
        return out.stream();
    }

    private static Object sample(ColumnType type) {
        return switch (type) {
            case TEXT -> "stored";
            case INTEGER -> 3;
            case BIGINT -> 5_000_000_000L;
            case DATETIME -> LocalDateTime.of(2021, 4, 1, 9, 30);
            case DECIMAL -> new BigDecimal("1200.50");
            case DATE -> LocalDate.of(2021, 4, 1);
            case BOOLEAN -> Boolean.TRUE;
            case ID -> 7L;
        };
    }

    private static Map<String, Object> filledRow(TableSpec spec) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1L);
        for (ColumnSpec c : spec.columns()) {
            row.put(c.name(), sample(c.type()));
        }
        return row;
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("everyColumn")
    void columnAbsentNullOrBlankInTheFileNeverChangesItsStoredValue(String table, String column) {
        TableSpec spec = ReferenceSchema.table(table);
        Map<String, Object> stored = filledRow(spec);
        Map<String, Object> key = new LinkedHashMap<>();
        for (String k : spec.key()) {
            key.put(k, stored.get(k));
        }
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put(column, null);
        List<Map<String, Object>> blanks = List.of(Map.of(), nullValue, Map.of(column, ""), Map.of(column, " \t "));
        for (Map<String, Object> values : blanks) {
            for (boolean insertOnly : new boolean[] {false, true}) {
                for (boolean force : new boolean[] {false, true}) {
                    RowDecision decision = RowDecision.decide(spec, stored, new TargetRow(table, key, values, insertOnly), RESOLVED, force);
                    assertEquals(new Unchanged(), decision, values + " insert-only " + insertOnly + " force " + force);
                }
            }
        }
    }

    @Test
    void blankCellsBesideAChangeLeaveTheirColumnsAlone() {
        Map<String, Object> values = ordered("title", "Lead", "first_name", "", "last_name", "  ");
        values.put("team_id", null);
        values.put("hired_on", null);

        Update update = assertInstanceOf(Update.class, decide(storedAnn(), new TargetRow("app_user", Map.of("email", "ann@example.com"), values, false), true));

        assertEquals(Map.of("title", "Lead"), update.changes());
        assertEquals(1, update.differences().size());
    }

    // relationships

    @Test
    void relationshipThatDiffersIsKeptWithoutForceUpdate() {
        RowDecision decision = decide(storedAnn(), ann("first_name", "Ann", "team_id", PLATFORM), false);

        Kept kept = assertInstanceOf(Kept.class, decision);
        assertEquals("kept", decision.action());
        assertEquals(List.of(new Difference(column("team_id"), 7L, PLATFORM, true)), kept.differences(),
                "the stored id and the file's reference, for the plan line");
        assertEquals(List.of("team_id"), kept.keptColumns());
    }

    @Test
    void relationshipThatDiffersIsChangedWithForceUpdate() {
        Update update = assertInstanceOf(Update.class, decide(storedAnn(), ann("team_id", PLATFORM), true));

        assertEquals(Map.of("team_id", PLATFORM), update.changes(), "written as the reference: apply resolves it");
        assertEquals(List.of(new Difference(column("team_id"), 7L, PLATFORM, false)), update.differences());
        assertEquals(List.of(), update.keptColumns());
    }

    @ParameterizedTest(name = "force-update {0}")
    @ValueSource(booleans = {false, true})
    void relationshipThatIsEmptyInTheDatabaseIsFilledWithOrWithoutForceUpdate(boolean force) {
        Update update = assertInstanceOf(Update.class, decide(storedAnn(), ann("manager_id", BOSS), force));

        assertEquals(Map.of("manager_id", BOSS), update.changes());
        assertEquals(List.of(new Difference(column("manager_id"), null, BOSS, false)), update.differences());
    }

    @ParameterizedTest(name = "force-update {0}")
    @ValueSource(booleans = {false, true})
    void referenceThatResolvesToTheStoredIdIsUnchanged(boolean force) {
        RowDecision decision = decide(storedAnn(), ann("team_id", PAYMENTS, "title", "Engineer"), force);

        assertEquals(new Unchanged(), decision);
        assertEquals("unchanged", decision.action());
        assertEquals(List.of(), decision.differences());
    }

    @Test
    void referenceToARowOnlyThisRunCreatesDiffersFromAnyStoredOne() {
        assertEquals(new Kept(List.of(new Difference(column("team_id"), 7L, NEW_TEAM, true))),
                decide(storedAnn(), ann("team_id", NEW_TEAM), false));
        assertEquals(new Update(Map.of("team_id", NEW_TEAM), List.of(new Difference(column("team_id"), 7L, NEW_TEAM, false))),
                decide(storedAnn(), ann("team_id", NEW_TEAM), true));
    }

    @Test
    void rowWithAppliedChangesAndKeptRelationshipsIsAnUpdateThatReportsBoth() {
        Map<String, Object> stored = storedAnn();
        stored.put("manager_id", 41L);

        Update update = assertInstanceOf(Update.class, decide(stored, ann("team_id", PLATFORM, "title", "Lead", "manager_id", BOSS), false));

        assertEquals(Map.of("title", "Lead"), update.changes(), "only the scalar is written");
        assertEquals(List.of(new Difference(column("team_id"), 7L, PLATFORM, true), new Difference(column("title"), "Engineer", "Lead", false),
                new Difference(column("manager_id"), 41L, BOSS, true)), update.differences());
        assertEquals(List.of("team_id", "manager_id"), update.keptColumns(), "each kept relationship is counted");
    }

    @Test
    void filledRelationshipBesideAKeptOneIsAnUpdate() {
        Update update = assertInstanceOf(Update.class, decide(storedAnn(), ann("team_id", PLATFORM, "manager_id", BOSS), false));

        assertEquals(Map.of("manager_id", BOSS), update.changes());
        assertEquals(List.of("team_id"), update.keptColumns());
    }

    // insert-only rows (history events without --update-existing)

    private static TargetRow event(Object... columnsAndValues) {
        Map<String, Object> key = ordered("user_id", Ref.to("app_user", "ann@example.com"), "event_type", "promotion",
                "effective_date", LocalDate.of(2024, 3, 1));
        return new TargetRow("timeline_event", key, ordered(columnsAndValues), true);
    }

    private static Map<String, Object> storedEvent() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 90L);
        row.put("user_id", 1L);
        row.put("event_type", "promotion");
        row.put("effective_date", LocalDate.of(2024, 3, 1));
        row.put("summary", "Promoted");
        row.put("team_id", 7L);
        row.put("salary", new BigDecimal("5000.00"));
        row.put("level_id", null);
        return row;
    }

    private static ColumnSpec eventColumn(String name) {
        return ReferenceSchema.table("timeline_event").requireColumn(name);
    }

    @ParameterizedTest(name = "force-update {0}")
    @ValueSource(booleans = {false, true})
    void insertOnlyRowThatExistsUnchangedIsUnchanged(boolean force) {
        assertEquals(new Unchanged(), decide(storedEvent(), event("summary", "Promoted", "team_id", PAYMENTS, "salary", new BigDecimal("5000")), force));
    }

    @ParameterizedTest(name = "force-update {0}")
    @ValueSource(booleans = {false, true})
    void insertOnlyRowThatExistsAndDiffersIsSkippedWithNoChanges(boolean force) {
        RowDecision decision = decide(storedEvent(), event("summary", "Promoted to lead", "salary", new BigDecimal("6000")), force);

        Skipped skipped = assertInstanceOf(Skipped.class, decision);
        assertEquals("skipped", decision.action());
        assertEquals(List.of(new Difference(eventColumn("summary"), "Promoted", "Promoted to lead", false),
                new Difference(eventColumn("salary"), new BigDecimal("5000.00"), new BigDecimal("6000"), false)), skipped.differences(),
                "reported, never written");
    }

    @Test
    void insertOnlyRowWhoseRelationshipDiffersIsSkippedAndSaysTheRelationshipWouldBeKept() {
        Skipped skipped = assertInstanceOf(Skipped.class, decide(storedEvent(), event("team_id", PLATFORM), false));

        assertEquals(List.of(new Difference(eventColumn("team_id"), 7L, PLATFORM, true)), skipped.differences());
        assertEquals(List.of("team_id"), skipped.keptColumns(), "the planner does not count a skipped row's kept columns");
    }

    @Test
    void insertOnlyRowThatWouldFillAnEmptyColumnIsSkippedToo() {
        Skipped skipped = assertInstanceOf(Skipped.class, decide(storedEvent(), event("level_id", Ref.to("ladder_level", Ref.to("ladder", "ENG"), 3)), false));

        assertEquals(1, skipped.differences().size());
    }

    // equal values of each column type

    /** Stored values as a driver or a snapshot gives them, beside the file's canonical value of the same thing. */
    /** A value named with its Java type, which its text alone does not show. */
    private static Named<Object> typed(Object value) {
        return Named.of(value.getClass().getSimpleName() + " " + value, value);
    }

    static Stream<Arguments> sameValues() {
        return Stream.of(
                Arguments.of("hired_on", typed(Date.valueOf("2021-04-01")), LocalDate.of(2021, 4, 1)),
                Arguments.of("hired_on", typed(Timestamp.valueOf("2021-04-01 00:00:00")), LocalDate.of(2021, 4, 1)),
                Arguments.of("hired_on", typed("2021-04-01"), LocalDate.of(2021, 4, 1)),
                Arguments.of("active", typed(1), Boolean.TRUE),
                Arguments.of("active", typed(0L), Boolean.FALSE),
                Arguments.of("active", typed("true"), Boolean.TRUE),
                Arguments.of("title", typed("Engineer"), "Engineer"));
    }

    @ParameterizedTest(name = "app_user.{0}: stored {1}, file {2}")
    @MethodSource("sameValues")
    void equalValueOfAUserColumnIsUnchangedWhateverJavaTypeTheDatabaseGaveIt(String column, Object stored, Object file) {
        Map<String, Object> row = storedAnn();
        row.put(column, stored);

        assertEquals(new Unchanged(), decide(row, ann(column, file), false));
    }

    static Stream<Arguments> sameLevelValues() {
        return Stream.of(
                Arguments.of("pay_band_min", typed(new BigDecimal("100.00")), new BigDecimal("100")),
                Arguments.of("pay_band_min", typed(new BigDecimal("1E+2")), new BigDecimal("100.0")),
                Arguments.of("pay_band_min", typed(100L), new BigDecimal("100.00")),
                Arguments.of("pay_band_min", typed("100.5"), new BigDecimal("100.50")),
                Arguments.of("title", typed("Senior"), "Senior"));
    }

    @ParameterizedTest(name = "ladder_level.{0}: stored {1}, file {2}")
    @MethodSource("sameLevelValues")
    void equalValueOfALevelColumnIsUnchangedWhateverJavaTypeTheDatabaseGaveIt(String column, Object stored, Object file) {
        Map<String, Object> row = storedLevel();
        row.put(column, stored);

        assertEquals(new Unchanged(), decide(row, level(column, file), false));
    }

    static Stream<Arguments> differentValues() {
        return Stream.of(
                Arguments.of("app_user", "hired_on", LocalDate.of(2021, 4, 1), LocalDate.of(2021, 4, 2)),
                Arguments.of("app_user", "active", Boolean.TRUE, Boolean.FALSE),
                Arguments.of("app_user", "title", "Engineer", "Engineer II"),
                Arguments.of("ladder_level", "pay_band_min", new BigDecimal("100.00"), new BigDecimal("100.01")),
                Arguments.of("ladder_level", "pay_band_max", null, new BigDecimal("0")));
    }

    @ParameterizedTest(name = "{0}.{1}: {2} -> {3}")
    @MethodSource("differentValues")
    void differentValueOfEachTypeIsAnUpdate(String table, String column, Object stored, Object file) {
        Map<String, Object> row = "app_user".equals(table) ? storedAnn() : storedLevel();
        row.put(column, stored);
        TargetRow target = "app_user".equals(table) ? ann(column, file) : level(column, file);

        Update update = assertInstanceOf(Update.class, decide(row, target, false));

        assertEquals(Map.of(column, file), update.changes());
        assertEquals(List.of(new Difference(ReferenceSchema.table(table).requireColumn(column), stored, file, false)), update.differences());
    }

    /** A declared table (DESIGN.md §7) with an integer column that is not part of its key, as none of the reference schema's is. */
    private static final TableSpec STOCK = new TableSpec("stock", List.of("sku"),
            List.of(ColumnSpec.text("sku", false, 20), ColumnSpec.of("quantity", ColumnType.INTEGER, true)), false, "import stock", "item");

    @ParameterizedTest(name = "stored {0}")
    @MethodSource("integers")
    void integerStoredAsAnotherNumberTypeIsTheSameNumber(Object stored) {
        Map<String, Object> row = new HashMap<>(Map.of("id", 5L, "sku", "A-1", "quantity", stored));
        TargetRow target = new TargetRow("stock", Map.of("sku", "A-1"), Map.of("quantity", 3), false);

        assertEquals(new Unchanged(), RowDecision.decide(STOCK, row, target, RESOLVED, false));
        assertEquals(new Update(Map.of("quantity", 4), List.of(new Difference(STOCK.requireColumn("quantity"), stored, 4, false))),
                RowDecision.decide(STOCK, row, new TargetRow("stock", Map.of("sku", "A-1"), Map.of("quantity", 4), false), RESOLVED, false));
    }

    static Stream<Named<Object>> integers() {
        return Stream.of(typed(3), typed(3L), typed((short) 3), typed(new BigDecimal("3")), typed("3"));
    }

    private static Map<String, Object> storedLevel() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 12L);
        row.put("ladder_id", 2L);
        row.put("level", 3);
        row.put("title", "Senior");
        row.put("description", null);
        row.put("pay_band_min", new BigDecimal("100.00"));
        row.put("pay_band_max", null);
        return row;
    }

    private static TargetRow level(Object... columnsAndValues) {
        return new TargetRow("ladder_level", ordered("ladder_id", Ref.to("ladder", "ENG"), "level", 3), ordered(columnsAndValues), false);
    }

    // the result

    @Test
    void columnTheTableDoesNotHaveIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> decide(storedAnn(), ann("shoe_size", "42"), false));
    }

    @Test
    void decisionsCopyWhatTheyAreGivenAndCannotBeChanged() {
        Map<String, Object> changes = ordered("title", "Lead");
        List<Difference> differences = new ArrayList<>(List.of(new Difference(column("title"), "Engineer", "Lead", false)));
        Update update = new Update(changes, differences);
        changes.put("first_name", "Anne");
        differences.clear();

        assertEquals(Map.of("title", "Lead"), update.changes());
        assertEquals(1, update.differences().size());
        assertThrows(UnsupportedOperationException.class, () -> update.changes().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> update.differences().clear());
        Insert insert = assertInstanceOf(Insert.class, decide(null, ann("title", "Lead"), false));
        assertThrows(UnsupportedOperationException.class, () -> insert.values().clear());
    }

    @Test
    void theSameInputGivesTheSameDecisionAndLeavesItsInputsAlone() {
        Map<String, Object> stored = storedAnn();
        TargetRow row = ann("team_id", PLATFORM, "title", "Lead");
        Map<Ref, Long> resolved = new HashMap<>(RESOLVED);

        RowDecision first = RowDecision.decide(USERS, stored, row, resolved, false);

        assertEquals(first, RowDecision.decide(USERS, stored, row, resolved, false));
        assertEquals(storedAnn(), stored);
        assertEquals(RESOLVED, resolved);
    }
}
