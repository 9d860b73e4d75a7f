package io.minikv.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through its JNI binding, configured as a user tuning it for point lookups would: a bloom
 * filter of 10 bits per key, a 256 MiB LRU block cache, the WAL on. Compression is off because the
 * benchmark values are random bytes that do not compress (and minikv does not compress either), so
 * RocksDB would only spend CPU on it. Durable puts use {@code sync=true}, which fsyncs the WAL
 * before the put returns; RocksDB groups concurrent writers into one WAL write and sync.
 */
final class RocksDbEngine implements Engine {
    static final long BLOCK_CACHE_BYTES = 256L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final LRUCache blockCache;
    private final BloomFilter bloomFilter;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;

    private RocksDbEngine(Path directory, boolean durable) throws RocksDBException {
        blockCache = new LRUCache(BLOCK_CACHE_BYTES);
        bloomFilter = new BloomFilter(10);
        options = new Options()
                .setCreateIfMissing(true)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(
                        new BlockBasedTableConfig().setBlockCache(blockCache).setFilterPolicy(bloomFilter));
        writeOptions = new WriteOptions().setSync(durable);
        RocksDB opened;
        try {
            opened = RocksDB.open(options, directory.toString());
        } catch (RocksDBException e) {
            closeOptions();
            throw e;
        }
        db = opened;
    }

    static RocksDbEngine open(Path directory, boolean durable) throws IOException {
        try {
            return new RocksDbEngine(directory, durable);
        } catch (RocksDBException e) {
            throw new IOException("cannot open RocksDB in " + directory, e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) throws IOException {
        try {
            db.put(writeOptions, key, value);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void settle() throws IOException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
            db.compactRange();
            db.syncWal();
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    /** A RocksDB property such as {@code rocksdb.estimate-table-readers-mem}, as a number. */
    long longProperty(String name) throws IOException {
        try {
            return db.getLongProperty(name);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw new IOException("closing RocksDB failed", e);
        } finally {
            closeOptions();
        }
    }

    private void closeOptions() {
        writeOptions.close();
        options.close();
        bloomFilter.close();
        blockCache.close();
    }
}
