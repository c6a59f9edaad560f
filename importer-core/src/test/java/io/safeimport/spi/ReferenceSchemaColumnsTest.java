package io.safeimport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Validation refuses values by what {@link ReferenceSchema} says the columns hold; this holds
 * ReferenceSchema to the columns the migrations actually create, on every database, so the two
 * cannot drift apart (a value that passes validation must fit its column).
 */
class ReferenceSchemaColumnsTest {

    @EveryDatabase
    void everyTextColumnHoldsExactlyTheCharactersTheSchemaDeclares(TestDatabase db) throws SQLException {
        try (Handle h = db.database().open()) {
            List<String> mismatches = new ArrayList<>();
            for (TableSpec table : ReferenceSchema.tables()) {
                for (ColumnSpec c : table.columns()) {
                    Column actual = column(h.getConnection(), table.name(), c.name());
                    String expected = switch (c.type()) {
                        // H2 counts a VARCHAR in UTF-16 units: n characters need 2n (h2/V3); a CHAR holds ASCII codes only
                        case TEXT -> "text " + (TestDatabase.H2.equals(db.kind()) && actual.type() == Types.VARCHAR ? 2 * c.length() : c.length());
                        case DATE -> "date";
                        case DECIMAL -> "decimal 14,2";
                        default -> actual.describe();
                    };
                    if (c.nullable() != actual.nullable()) {
                        mismatches.add(table.name() + "." + c.name() + ": schema says nullable " + c.nullable() + ", " + db.kind() + " disagrees");
                    }
                    if (!expected.equals(actual.describe())) {
                        mismatches.add(table.name() + "." + c.name() + ": schema says " + expected + ", " + db.kind() + " has " + actual.describe());
                    }
                }
            }
            assertEquals(List.of(), mismatches);
        }
    }

    private record Column(int type, int size, int scale, boolean nullable) {
        String describe() {
            return switch (type) {
                case Types.VARCHAR, Types.CHAR, Types.NVARCHAR, Types.NCHAR -> "text " + size;
                case Types.DATE -> "date";
                case Types.DECIMAL, Types.NUMERIC -> "decimal " + size + "," + scale;
                default -> "type " + type;
            };
        }
    }

    private static Column column(Connection c, String table, String column) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getColumns(c.getCatalog(), c.getSchema(), table, column)) {
            if (!rs.next()) {
                throw new AssertionError("no column " + table + "." + column);
            }
            return new Column(rs.getInt("DATA_TYPE"), rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"),
                    rs.getInt("NULLABLE") == DatabaseMetaData.columnNullable);
        }
    }
}
