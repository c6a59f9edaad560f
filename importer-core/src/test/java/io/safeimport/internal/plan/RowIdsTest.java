package io.safeimport.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.TableSpec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ids of rows of tables keyed by their natural primary key: fingerprints of the exact key, and the keys back for SQL. */
class RowIdsTest {
    private static final TableSpec JOBS = new TableSpec("jobs", List.of("job_id"),
            List.of(ColumnSpec.text("job_id", false, 10), ColumnSpec.text("job_title", false, 35)), true, "import jobs", "job", null);
    private static final TableSpec HISTORY = new TableSpec("job_history", List.of("employee_id", "start_date"),
            List.of(ColumnSpec.ref("employee_id", "employees", false), ColumnSpec.of("start_date", ColumnType.DATE, false),
                    new ColumnSpec("job_id", ColumnType.TEXT, "jobs", false, null, 10)), true, "import job_history", "job history", null);
    private static final TableSpec USERS = new TableSpec("users", List.of("email"), List.of(ColumnSpec.text("email", false, 100)),
            true, "import users", "user", "user_pk");

    @AfterEach
    void forget() {
        RowIds.forgetAll();
    }

    @Test
    void anIdIsAFingerprintOfTheExactKeySameInEveryProcess() {
        long id = RowIds.of(JOBS, List.of("IT_PROG"));
        RowIds.forgetAll();
        assertEquals(id, RowIds.of(JOBS, List.of("IT_PROG")), "the same key, the same id, whatever was seen before");
        assertTrue(id > 0);
        assertNotEquals(id, RowIds.of(JOBS, List.of("it_prog")), "the exact key: a case-sensitive database may hold both");
        assertNotEquals(RowIds.of(JOBS, List.of("A|B")), RowIds.of(JOBS, List.of("A", "B")));
        assertEquals(RowIds.of(HISTORY, List.of(7L, LocalDate.of(2019, 1, 1))), RowIds.of(HISTORY, List.of(7, LocalDate.of(2019, 1, 1))),
                "a number read as int or as long is one key");
        assertEquals(RowIds.of(JOBS, List.of(new BigDecimal("1.50"))), RowIds.of(JOBS, List.of(new BigDecimal("1.5"))),
                "decimals by value");
        assertEquals(id, RowIds.ofRow(JOBS, Map.of("job_id", "IT_PROG", "job_title", "Programmer")));
    }

    @Test
    void theKeyOfAnIdIsKnownOnceSeenAndOnlyThen() {
        long id = RowIds.of(HISTORY, List.of(7L, LocalDate.of(2019, 1, 1)));
        assertEquals(List.of(7L, LocalDate.of(2019, 1, 1)), RowIds.key("job_history", id));
        assertEquals("7/2019-01-01", RowIds.name(HISTORY, id));
        assertEquals("#12", RowIds.name(USERS, 12));
        RowIds.forgetAll();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RowIds.key("job_history", id));
        assertTrue(e.getMessage().contains("never read, decoded or inserted"), e.getMessage());
    }

    @Test
    void sqlNamesAKeyedRowByItsKeyColumnsAndASurrogateRowByItsId() {
        long a = RowIds.of(HISTORY, List.of(7L, LocalDate.of(2019, 1, 1)));
        long b = RowIds.of(HISTORY, List.of(8L, LocalDate.of(2020, 2, 2)));
        RowIds.Condition keyed = RowIds.where(HISTORY, List.of(a, b), "k");
        assertEquals("(employee_id = :k0_0 AND start_date = :k0_1) OR (employee_id = :k1_0 AND start_date = :k1_1)", keyed.sql());
        assertEquals(Map.of("k0_0", 7L, "k0_1", LocalDate.of(2019, 1, 1), "k1_0", 8L, "k1_1", LocalDate.of(2020, 2, 2)), keyed.values());
        assertEquals("1 = 0", RowIds.where(HISTORY, List.of(), "k").sql(), "no row: a condition no row meets");
        RowIds.Condition surrogate = RowIds.where(USERS, List.of(3L, 4L), "ids");
        assertEquals("user_pk IN (<ids>)", surrogate.sql());
        assertEquals(List.of(3L, 4L), surrogate.list());
        assertEquals("employee_id = :r_0 AND start_date = :r_1", RowIds.whereOne(HISTORY, "r"));
        assertEquals("user_pk = :r", RowIds.whereOne(USERS, "r"));
    }

    @Test
    void aReferenceToAKeyedTableStoresTheKeyAndAReferenceToASurrogateTheId() {
        ColumnSpec job = HISTORY.requireColumn("job_id");
        ColumnSpec employee = HISTORY.requireColumn("employee_id");
        long itProg = RowIds.of(JOBS, List.of("IT_PROG"));
        assertTrue(RowIds.pointsAtKeyed(job));
        assertFalse(RowIds.pointsAtKeyed(employee));
        assertEquals("IT_PROG", RowIds.refValue(job, itProg));
        assertEquals(42L, RowIds.refValue(employee, 42));
        assertTrue(RowIds.refers(job, "IT_PROG", itProg));
        assertFalse(RowIds.refers(job, "AD_PRES", itProg));
        assertTrue(RowIds.refers(employee, 42L, 42));
        assertFalse(RowIds.refers(employee, 41L, 42));
    }
}
