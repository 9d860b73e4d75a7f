package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import io.minikv.storage.StoreOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobStoreLimitTest {
    private static final int LIMIT = 1000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {LIMIT + 1, BlobStore.INLINE_LIMIT, BlobStore.INLINE_LIMIT + 1, 3 * BlobStore.INLINE_LIMIT})
    void dataOfUnknownLengthOverTheLimitIsRejected(int size) throws IOException {
        try (BlobStore blobs = BlobStore.open(dir, StoreOptions.defaults(), LIMIT)) {
            assertThatThrownBy(() ->
                            blobs.put("k", new ByteArrayInputStream(new byte[size]), -1, "x/y", Precondition.NONE))
                    .isInstanceOf(MinikvException.TooLarge.class);
            assertThat(blobs.head("k")).isEmpty();
            assertThat(blobs.preparedTransactions()).isEmpty();
        }
    }

    @Test
    void dataOfUnknownLengthAtTheLimitIsStored() throws IOException {
        try (BlobStore blobs = BlobStore.open(dir, StoreOptions.defaults(), LIMIT)) {
            BlobInfo info = blobs.put("k", new ByteArrayInputStream(new byte[LIMIT]), -1, "x/y", Precondition.NONE);
            assertThat(info.size()).isEqualTo(LIMIT);
        }
    }
}
