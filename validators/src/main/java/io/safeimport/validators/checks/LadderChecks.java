package io.safeimport.validators.checks;

import static io.safeimport.spi.Severity.ERROR;
import static io.safeimport.spi.Severity.WARNING;

import io.safeimport.spi.IntegrityCheck;
import java.util.List;

/**
 * Integrity checks on career ladders: {@code ladder}, {@code ladder_aspect} and
 * {@code ladder_level}. Aspects are keyed {@code LADDER/aspect} and levels {@code LADDER/level};
 * a ladder that does not exist shows as {@code #<ladder_id>}.
 */
public final class LadderChecks {

    private LadderChecks() {
    }

    /** The ladder checks, in a stable order. */
    public static List<IntegrityCheck> all() {
        return List.of(
                ladderWithout("ladder_without_aspects", "ladder_aspect", "aspects", "type aspect"),
                ladderWithout("ladder_without_levels", "ladder_level", "levels", "type level"),
                aspectLadderMissing(),
                levelLadderMissing(),
                levelNumberingGap(),
                levelPayBandInverted());
    }

    /**
     * A ladder with no aspects or no levels yet. A warning, not an error: ladders are built up in
     * steps ({@code import ladders --ladders-only} creates ladders alone by design, and aspects and
     * levels often follow in later files), so an empty ladder is a normal state between imports; an
     * error would make every such documented import fail post-validation. Nothing can point at a
     * level that does not exist yet, so an empty ladder harms no other row.
     */
    static IntegrityCheck ladderWithout(String code, String child, String plural, String rowType) {
        return QueryCheck.of(code, WARNING, "ladder",
                "A ladder has no " + plural + " yet.",
                "SELECT l.ladder FROM ladder l WHERE NOT EXISTS (SELECT 1 FROM " + child + " c WHERE c.ladder_id = l.id)"
                        + " ORDER BY l.ladder",
                rs -> {
                    String ladder = rs.getString("ladder");
                    return new Offender(ladder, "Ladder " + ladder + " has no " + plural
                            + " yet; add them with import ladders (rows of " + rowType + ").");
                });
    }

    static IntegrityCheck aspectLadderMissing() {
        return QueryCheck.of("aspect_ladder_missing", ERROR, "ladder_aspect",
                "A ladder aspect belongs to a ladder that does not exist.",
                "SELECT a.ladder_id, a.aspect FROM ladder_aspect a"
                        + " WHERE NOT EXISTS (SELECT 1 FROM ladder l WHERE l.id = a.ladder_id)"
                        + " ORDER BY a.ladder_id, a.aspect",
                rs -> {
                    long ladderId = rs.getLong("ladder_id");
                    String key = Keys.join("#" + ladderId, rs.getString("aspect"));
                    return new Offender(key, "Aspect " + key + " belongs to ladder id " + ladderId
                            + ", which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly("ladder_id");
    }

    static IntegrityCheck levelLadderMissing() {
        return QueryCheck.of("level_ladder_missing", ERROR, "ladder_level",
                "A ladder level belongs to a ladder that does not exist.",
                "SELECT v.ladder_id, v.level FROM ladder_level v"
                        + " WHERE NOT EXISTS (SELECT 1 FROM ladder l WHERE l.id = v.ladder_id)"
                        + " ORDER BY v.ladder_id, v.level",
                rs -> {
                    long ladderId = rs.getLong("ladder_id");
                    String key = Keys.join("#" + ladderId, rs.getInt("level"));
                    return new Offender(key, "Level " + key + " belongs to ladder id " + ladderId
                            + ", which does not exist; it was probably written with foreign key checks off.");
                }).danglingOnly("ladder_id");
    }

    /**
     * The levels of a ladder must be numbered 1..N without gaps. Reported per level whose number
     * differs from its position in the ladder (ENG with levels 1, 2, 4: {@code ENG/4}, the third
     * level), so an import that adds a misnumbered level is blamed for exactly that level.
     * Levels of a ladder that does not exist are left to {@link #levelLadderMissing()}.
     */
    static IntegrityCheck levelNumberingGap() {
        return QueryCheck.of("level_numbering_gap", ERROR, "ladder_level",
                "A ladder's levels are not numbered 1..N without gaps.",
                "SELECT l.ladder, r.level, r.position, r.n FROM ("
                        + "SELECT v.ladder_id, v.level,"
                        + " ROW_NUMBER() OVER (PARTITION BY v.ladder_id ORDER BY v.level) AS position,"
                        + " COUNT(*) OVER (PARTITION BY v.ladder_id) AS n"
                        + " FROM ladder_level v) r JOIN ladder l ON l.id = r.ladder_id"
                        + " WHERE r.level <> r.position ORDER BY l.ladder, r.level",
                rs -> {
                    String ladder = rs.getString("ladder");
                    String key = Keys.join(ladder, rs.getInt("level"));
                    long n = rs.getLong("n");
                    return new Offender(key, "Level " + key + " is level number " + rs.getLong("position") + " of the " + n
                            + " levels of ladder " + ladder + "; a ladder's levels must be numbered 1.." + n + " without gaps.");
                });
    }

    static IntegrityCheck levelPayBandInverted() {
        return QueryCheck.of("level_pay_band_inverted", ERROR, "ladder_level",
                "A ladder level's pay_band_min is above its pay_band_max.",
                "SELECT v.ladder_id, l.ladder, v.level, v.pay_band_min, v.pay_band_max FROM ladder_level v"
                        + " LEFT JOIN ladder l ON l.id = v.ladder_id"
                        + " WHERE v.pay_band_min > v.pay_band_max ORDER BY l.ladder, v.ladder_id, v.level",
                rs -> {
                    String key = Keys.join(Keys.orId(rs, "ladder", "ladder_id"), rs.getInt("level"));
                    return new Offender(key, "Level " + key + " has pay_band_min " + rs.getBigDecimal("pay_band_min").toPlainString()
                            + " above pay_band_max " + rs.getBigDecimal("pay_band_max").toPlainString() + ".");
                });
    }
}
