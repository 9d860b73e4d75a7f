package io.minikv.volume;

import java.io.InputStream;
import java.util.SplittableRandom;

/** {@code length} pseudo-random bytes from {@code seed}, made as they are read: never held in memory. */
final class GeneratedInput extends InputStream {
    private final SplittableRandom random;
    private final long length;
    private long position;
    private long word;

    GeneratedInput(long length, long seed) {
        this.random = new SplittableRandom(seed);
        this.length = length;
    }

    @Override
    public int read() {
        if (position == length) {
            return -1;
        }
        if (position % 8 == 0) {
            word = random.nextLong();
        }
        int b = (int) (word >>> (8 * (position % 8))) & 0xFF;
        position++;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
        if (position == length) {
            return -1;
        }
        int n = (int) Math.min(count, length - position);
        for (int i = 0; i < n; i++) {
            if (position % 8 == 0) {
                word = random.nextLong();
            }
            buffer[offset + i] = (byte) (word >>> (8 * (position % 8)));
            position++;
        }
        return n;
    }
}
