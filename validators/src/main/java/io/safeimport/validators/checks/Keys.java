package io.safeimport.validators.checks;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Natural keys as text for findings. A key part that cannot be resolved, because the row it
 * names is missing or blank, is shown as {@code #<id>} so the finding still names one row.
 */
final class Keys {

    private Keys() {
    }

    /** The text value of {@code column}, or {@code #} and the id in {@code idColumn} when it is null or blank. */
    static String orId(ResultSet rs, String column, String idColumn) throws SQLException {
        String value = rs.getString(column);
        return value == null || value.isBlank() ? "#" + rs.getLong(idColumn) : value;
    }

    /** Key parts joined with {@code /}: {@code ENG/3}, {@code ann@acme.example/hire/2021-04-01}. */
    static String join(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object part : parts) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }
}
