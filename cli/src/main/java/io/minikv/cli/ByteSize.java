package io.minikv.cli;

import java.util.Locale;

/** A byte count as people read it: {@code 512 bytes}, {@code 1.5 KiB (1536 bytes)}. */
final class ByteSize {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSize() {}

    static String describe(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        double scaled = bytes;
        int unit = -1;
        while (scaled >= 1024 && unit < UNITS.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", scaled, UNITS[unit], bytes);
    }
}
