package io.minikv.bench;

import io.minikv.storage.Durability;
import io.minikv.storage.Store;
import io.minikv.storage.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;

/** minikv's embedded store with its default options, durability ALWAYS or NEVER. */
final class MinikvEngine implements Engine {
    private final Store store;

    private MinikvEngine(Store store) {
        this.store = store;
    }

    static MinikvEngine open(Path directory, boolean durable) throws IOException {
        Durability durability = durable ? Durability.ALWAYS : Durability.NEVER;
        return new MinikvEngine(Store.open(directory, StoreOptions.defaults().withDurability(durability)));
    }

    @Override
    public void put(byte[] key, byte[] value) throws IOException {
        store.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        return store.get(key).orElse(null);
    }

    @Override
    public void settle() throws IOException {
        store.sync();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
