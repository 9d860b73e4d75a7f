package io.minikv.storage;

/**
 * Every file name in a store directory, in one place (as LevelDB's filename.h). Segment ids are
 * printed with ten digits so that names sort like ids.
 */
final class FileNames {
    static final String LOCK = "LOCK";

    private static final String SEGMENT = ".seg";
    private static final String HINT = ".hint";
    private static final String TEMP = ".tmp";

    private FileNames() {}

    enum Kind {
        SEGMENT,
        HINT,
        /** A file being written under a temporary name: a compaction output or a hint; never valid after a crash. */
        TEMP,
        LOCK,
        OTHER
    }

    /** A parsed file name: its kind and, for segments and hints, the segment id (else -1). */
    record Parsed(Kind kind, int segmentId) {}

    static String segment(int id) {
        return "%010d%s".formatted(id, SEGMENT);
    }

    static String hint(int id) {
        return "%010d%s".formatted(id, HINT);
    }

    static String temp(String finalName) {
        return finalName + TEMP;
    }

    static Parsed parse(String name) {
        if (name.equals(LOCK)) {
            return new Parsed(Kind.LOCK, -1);
        }
        if (name.endsWith(TEMP)) {
            return new Parsed(Kind.TEMP, -1);
        }
        if (name.endsWith(SEGMENT)) {
            return new Parsed(Kind.SEGMENT, id(name, SEGMENT));
        }
        if (name.endsWith(HINT)) {
            return new Parsed(Kind.HINT, id(name, HINT));
        }
        return new Parsed(Kind.OTHER, -1);
    }

    private static int id(String name, String suffix) {
        String digits = name.substring(0, name.length() - suffix.length());
        if (digits.length() != 10 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long id = Long.parseLong(digits);
        return id > Integer.MAX_VALUE ? -1 : (int) id;
    }
}
