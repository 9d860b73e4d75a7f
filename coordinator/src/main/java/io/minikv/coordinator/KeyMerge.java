package io.minikv.coordinator;

import io.minikv.coordinator.Reconciliation.Held;
import io.minikv.proto.v1.KeyState;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Walks the metadata and every volume's listing side by side, one key at a time, as a merge join:
 * each source is sorted in {@link KeyOrder}, so the walk holds one entry per source, whatever the
 * number of keys. Pure: the sources are iterators, and the rows come out in key order.
 *
 * <p>A listing that breaks off ({@link ListingFailed}) or goes out of order leaves the walk: from
 * the next row on, that volume is no longer among the rows' {@link Row#listed} volumes, and the
 * reason is kept in {@link #failures}.
 */
final class KeyMerge implements Iterator<KeyMerge.Row> {
    /** A volume's listing broke off, for instance because the volume went away. */
    static final class ListingFailed extends RuntimeException {
        ListingFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One key as the metadata and the volumes see it.
     *
     * @param metadata the key's state in the metadata, deletions included; null when it has none
     * @param held what each volume lists for the key, by volume id (absent when it lists nothing)
     * @param listed the volumes whose listings cover this key: a volume among them that is not in
     *     {@code held} does not hold the key at all
     */
    record Row(String key, KeyState metadata, Map<String, Held> held, Set<String> listed) {}

    private final Iterator<KeyState> metadata;
    private KeyState nextMetadata;
    private final Map<String, Listing> listings = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private Set<String> listed;

    /** One volume's listing and the entry it is at. */
    private static final class Listing {
        final Iterator<Held> rest;
        Held head;

        Listing(Iterator<Held> rest) {
            this.rest = rest;
        }
    }

    /** @param listings each volume's listing, by volume id, in {@link KeyOrder} */
    KeyMerge(Iterator<KeyState> metadata, Map<String, Iterator<Held>> listings) {
        this.metadata = metadata;
        advanceMetadata();
        listings.forEach((volume, entries) -> this.listings.put(volume, new Listing(entries)));
        listed = Set.copyOf(this.listings.keySet());
        List.copyOf(this.listings.keySet()).forEach(this::advance);
    }

    /** Why each volume whose listing left the walk did so, by volume id. */
    Map<String, String> failures() {
        return Collections.unmodifiableMap(failures);
    }

    @Override
    public boolean hasNext() {
        return nextMetadata != null || listings.values().stream().anyMatch(listing -> listing.head != null);
    }

    @Override
    public Row next() {
        String key = nextMetadata == null ? null : nextMetadata.getKey();
        for (Listing listing : listings.values()) {
            if (listing.head != null && (key == null || KeyOrder.INSTANCE.compare(listing.head.key(), key) < 0)) {
                key = listing.head.key();
            }
        }
        if (key == null) {
            throw new NoSuchElementException();
        }
        KeyState state = null;
        if (nextMetadata != null && nextMetadata.getKey().equals(key)) {
            state = nextMetadata;
            advanceMetadata();
        }
        String rowKey = key;
        Map<String, Held> held = new HashMap<>();
        listings.forEach((volume, listing) -> {
            if (listing.head != null && listing.head.key().equals(rowKey)) {
                held.put(volume, listing.head);
            }
        });
        Row row = new Row(rowKey, state, held, listed);
        held.keySet().forEach(this::advance);
        return row;
    }

    private void advanceMetadata() {
        String previous = nextMetadata == null ? null : nextMetadata.getKey();
        nextMetadata = metadata.hasNext() ? metadata.next() : null;
        if (nextMetadata != null
                && previous != null
                && KeyOrder.INSTANCE.compare(nextMetadata.getKey(), previous) <= 0) {
            throw new IllegalStateException(
                    "the metadata listed " + nextMetadata.getKey() + " after " + previous + ": out of key order");
        }
    }

    /** Moves a volume's listing to its next entry; a listing that fails or goes out of order leaves the walk. */
    private void advance(String volume) {
        Listing listing = listings.get(volume);
        String previous = listing.head == null ? null : listing.head.key();
        try {
            listing.head = listing.rest.hasNext() ? listing.rest.next() : null;
        } catch (ListingFailed e) {
            leave(volume, e.getMessage());
            return;
        }
        if (listing.head != null && previous != null && KeyOrder.INSTANCE.compare(listing.head.key(), previous) <= 0) {
            leave(volume, "listed " + listing.head.key() + " after " + previous + ": out of key order");
        }
    }

    private void leave(String volume, String why) {
        listings.remove(volume);
        failures.put(volume, why);
        listed = Set.copyOf(listings.keySet());
    }
}
