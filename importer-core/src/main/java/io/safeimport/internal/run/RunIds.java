package io.safeimport.internal.run;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Run and snapshot IDs: {@code YYYYMMDDTHHMMSSZ-<importer>-<6 hex>} in UTC (DESIGN.md §3), the
 * importer named as a declared importer may be ({@code job_history}: letters, digits and {@code _},
 * at most 40). A run
 * and its snapshot share the ID. Anything else offered as an ID is rejected before it can reach
 * the file system, so {@code ../../etc/passwd} never becomes a path.
 */
public final class RunIds {
    private static final Pattern ID = Pattern.compile("^\\d{8}T\\d{6}Z-[a-z][a-z0-9_]{0,39}-[0-9a-f]{6}$");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    public static String next(String importer, Clock clock) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return STAMP.format(clock.instant()) + "-" + importer + "-" + HexFormat.of().formatHex(b);
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Returns the ID or throws a usage error naming the expected form. */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new SafeImportException(ExitCode.USAGE, "'" + (id == null ? "" : id.replaceAll("[^\\x20-\\x7e]", "?"))
                    + "' is not a snapshot ID: expected YYYYMMDDTHHMMSSZ-<importer>-<6 hex>, e.g. 20261122T034000Z-users-1a2b3c (see `snapshots list`)");
        }
        return id;
    }
}
