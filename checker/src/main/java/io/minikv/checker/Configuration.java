package io.minikv.checker;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Which operations of known outcome are placed, and the model state reached: the key of {@link
 * VisitedConfigurations}. Immutable.
 */
final class Configuration {
    private final long[] placed;
    private final Object state;
    private final int hash;

    Configuration(BitSet placed, Object state) {
        this.placed = placed.toLongArray();
        this.state = state;
        this.hash = 31 * Arrays.hashCode(this.placed) + state.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Configuration that
                && hash == that.hash
                && Arrays.equals(placed, that.placed)
                && state.equals(that.state);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
