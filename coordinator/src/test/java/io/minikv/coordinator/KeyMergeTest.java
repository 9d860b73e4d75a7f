package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.coordinator.Reconciliation.Held;
import io.minikv.proto.v1.KeyState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyMergeTest {
    private static KeyState key(String key) {
        return KeyState.newBuilder().setKey(key).setVersion(1).build();
    }

    private static Held held(String key) {
        return new Held(key, 1, false);
    }

    private static List<KeyMerge.Row> all(KeyMerge merge) {
        List<KeyMerge.Row> rows = new ArrayList<>();
        while (merge.hasNext()) {
            rows.add(merge.next());
        }
        return rows;
    }

    /** A listing that yields {@code entries}, then fails as a broken stream does. */
    private static Iterator<Held> breaksAfter(Held... entries) {
        Iterator<Held> rest = List.of(entries).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (!rest.hasNext()) {
                    throw new KeyMerge.ListingFailed("the stream broke", null);
                }
                return true;
            }

            @Override
            public Held next() {
                hasNext();
                return rest.next();
            }
        };
    }

    @Test
    void everyKeyComesOnceInKeyOrderWithWhatEachSourceHasOfIt() {
        Map<String, Iterator<Held>> listings = new LinkedHashMap<>();
        listings.put("v1", List.of(held("a"), held("c"), held("\uFF21")).iterator());
        listings.put("v2", List.of(held("b"), held("c"), held("\uD83D\uDE00")).iterator());
        KeyMerge merge = new KeyMerge(List.of(key("a"), key("c"), key("d")).iterator(), listings);

        List<KeyMerge.Row> rows = all(merge);

        assertThat(rows).extracting(KeyMerge.Row::key).containsExactly("a", "b", "c", "d", "\uFF21", "\uD83D\uDE00");
        assertThat(rows.get(0).metadata()).isEqualTo(key("a"));
        assertThat(rows.get(0).held()).containsOnlyKeys("v1");
        assertThat(rows.get(1).metadata()).isNull();
        assertThat(rows.get(1).held()).containsOnlyKeys("v2");
        assertThat(rows.get(2).held()).containsOnlyKeys("v1", "v2");
        assertThat(rows.get(3).held()).isEmpty();
        assertThat(rows).allSatisfy(row -> assertThat(row.listed()).containsExactlyInAnyOrder("v1", "v2"));
        assertThat(merge.failures()).isEmpty();
        assertThatThrownBy(merge::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aListingThatBreaksOffLeavesTheWalkFromThereOn() {
        Map<String, Iterator<Held>> listings = new LinkedHashMap<>();
        listings.put("v1", List.of(held("a"), held("b"), held("c")).iterator());
        listings.put("v2", breaksAfter(held("a")));
        KeyMerge merge = new KeyMerge(List.of(key("a"), key("b"), key("c")).iterator(), listings);

        List<KeyMerge.Row> rows = all(merge);

        assertThat(rows).extracting(KeyMerge.Row::key).containsExactly("a", "b", "c");
        assertThat(rows.get(0).listed()).as("v2 listed a").containsExactlyInAnyOrder("v1", "v2");
        assertThat(rows.get(0).held()).containsOnlyKeys("v1", "v2");
        assertThat(rows.get(1).listed()).as("not b: the stream broke before it").isEqualTo(Set.of("v1"));
        assertThat(merge.failures()).containsOnlyKeys("v2");
        assertThat(merge.failures().get("v2")).contains("the stream broke");
    }

    @Test
    void aListingOutOfKeyOrderLeavesTheWalk() {
        Map<String, Iterator<Held>> listings = new LinkedHashMap<>();
        listings.put("v1", List.of(held("b"), held("a")).iterator());
        KeyMerge merge = new KeyMerge(List.of(key("a"), key("b")).iterator(), listings);

        List<KeyMerge.Row> rows = all(merge);

        assertThat(rows).extracting(KeyMerge.Row::key).containsExactly("a", "b");
        assertThat(rows.get(1).held()).containsOnlyKeys("v1");
        assertThat(merge.failures().get("v1")).contains("out of key order");
    }

    @Test
    void aListingThatFailsAtOnceIsNeverListed() {
        KeyMerge merge = new KeyMerge(List.of(key("a")).iterator(), Map.of("v1", breaksAfter()));
        assertThat(all(merge))
                .singleElement()
                .satisfies(row -> assertThat(row.listed()).isEmpty());
        assertThat(merge.failures()).containsOnlyKeys("v1");
    }

    @Test
    void anExhaustedListingStillCoversTheKeysAfterItsLast() {
        KeyMerge merge = new KeyMerge(
                List.of(key("a"), key("z")).iterator(),
                Map.of("v1", List.of(held("a")).iterator()));
        assertThat(all(merge)).extracting(KeyMerge.Row::listed).containsOnly(Set.of("v1"));
    }
}
