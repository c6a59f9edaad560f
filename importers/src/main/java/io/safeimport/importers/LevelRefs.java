package io.safeimport.importers;

import io.safeimport.spi.CsvRow;
import io.safeimport.spi.Ref;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.validators.Values;

/** The {@code ladder,level} column pair that users and history rows use to name a ladder level. */
final class LevelRefs {
    private LevelRefs() {
    }

    /**
     * The level named by the two columns, or {@code null} when both are blank. One without the other
     * rejects the row: a level number means nothing without its ladder.
     */
    static Ref level(CsvRow row, String ladderColumn, String levelColumn) {
        String ladder = Values.text(row, ladderColumn, ReferenceSchema.length("ladder", "ladder"));
        Integer level = Values.integer(row, levelColumn, 1, 1000);
        if (ladder == null && level == null) {
            return null;
        }
        if (ladder == null) {
            // a ladder cell that was given but rejected (too long, say) has its own error already
            if (row.get(ladderColumn) == null && row.get(levelColumn) != null) {
                row.reject(ladderColumn, "ladder_required", "'" + levelColumn + "' is given without '" + ladderColumn
                        + "': name the ladder the level belongs to");
            }
            return null;
        }
        if (level == null) {
            if (row.get(levelColumn) == null) {
                row.reject(levelColumn, "level_required", "'" + ladderColumn + "' is given without '" + levelColumn
                        + "': give the level number on that ladder");
            }
            return null;
        }
        return Ref.to("ladder_level", Ref.to("ladder", ladder), level);
    }
}
