package io.minikv.cli;

import io.minikv.client.Blob;
import io.minikv.client.MinikvClient;
import java.io.IOException;
import java.io.OutputStream;

/** A cluster through the Java client {@link MinikvClient}, in the protocol it was built with (bench uses it for gRPC). */
final class ClientBenchTarget implements BenchTarget {
    private final MinikvClient client;

    ClientBenchTarget(MinikvClient client) {
        this.client = client;
    }

    @Override
    public boolean put(long key, byte[] value) {
        try {
            client.put(BenchLoad.KEY_PREFIX + key, value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean get(long key) {
        try (Blob blob = client.get(BenchLoad.KEY_PREFIX + key)) {
            blob.data().transferTo(OutputStream.nullOutputStream());
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
