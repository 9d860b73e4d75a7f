package io.minikv.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An in-memory {@link Disk} that forgets, on {@link #crash()}, what a power failure may forget, in
 * the manner of LevelDB's fault_injection_test.cc.
 *
 * <p>The model, per POSIX: a file's bytes are durable up to its last {@link DiskFile#force()}; the
 * writes and truncations after it are lost in a crash except for a random prefix of them, and the
 * write after that prefix may be torn: cut at a sector boundary (sectors of 512 bytes are written
 * whole), and where it extended the file, the rest may read as zeros (the size reached the disk,
 * the data did not). Creations, renames and deletions in the directory are durable after {@link
 * Disk#syncDirectory()}; a crash undoes the others: all of them, none, the newest ones, or each one
 * independently, chosen at random. File contents belong to inodes, not names: a rename moves the
 * bytes, and an open file stays usable after its name is deleted.
 *
 * <p>One store at a time mounts the disk ({@link #mount()}). A crash, or {@link #abandon()} for a
 * process crash that loses nothing, kills the mount: every later call through it fails, as it
 * would for a dead process, so that the old store's threads cannot touch the next mount's files.
 * {@link #crashAfter(int, boolean)} crashes at the n-th mutation from now, so that a crash can land inside
 * any operation, the failing call included. {@link #failAfter(int)} fails one mutation with an
 * IOException and nothing else, like a full disk.
 */
final class LossyDisk {
    /** How a crash treats directory operations since the last directory sync. */
    private enum DirectoryLoss {
        KEEP_ALL,
        UNDO_ALL,
        KEEP_OLDEST,
        EACH_AT_RANDOM
    }

    private static final int SECTOR = 512;

    private final SplittableRandom random;
    private final Map<String, Inode> names = new HashMap<>();
    private Map<String, Inode> durableNames = new HashMap<>();
    private final List<DirectoryOp> unsyncedDirectoryOps = new ArrayList<>();
    private int mountGeneration;
    private boolean mounted;
    private boolean dead;
    private boolean locked;
    private int mutationsUntilCrash = -1;
    private boolean crashIsPowerLoss;
    private int mutationsUntilError = -1;
    private final Object gate = new Object();
    private String heldThreads;

    /** What the faults did, for tests that must show that they did damage. */
    int crashes;

    int tornWrites;
    long unsyncedOpsLost;
    int directoryOpsUndone;
    int errorsInjected;

    LossyDisk(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A view of the disk for one store; the previous one must have been killed or unmounted. */
    synchronized Disk mount() {
        if (mounted && !dead) {
            throw new IllegalStateException("the disk is still mounted");
        }
        mountGeneration++;
        mounted = true;
        dead = false;
        locked = false;
        return new View(mountGeneration);
    }

    /** A power failure now: unsynced data and directory operations are lost as described above. */
    synchronized void crash() {
        crash(false);
    }

    /** The worst power failure: every unsynced byte and directory change is lost. */
    synchronized void crashLosingEverythingUnsynced() {
        crash(true);
    }

    private void crash(boolean loseEverything) {
        crashes++;
        DirectoryLoss mode = loseEverything
                ? DirectoryLoss.UNDO_ALL
                : DirectoryLoss.values()[random.nextInt(DirectoryLoss.values().length)];
        int keep = switch (mode) {
            case KEEP_ALL -> unsyncedDirectoryOps.size();
            case UNDO_ALL -> 0;
            case KEEP_OLDEST -> random.nextInt(unsyncedDirectoryOps.size() + 1);
            case EACH_AT_RANDOM -> -1;
        };
        Map<String, Inode> survivors = new HashMap<>(durableNames);
        for (int i = 0; i < unsyncedDirectoryOps.size(); i++) {
            boolean kept = keep < 0 ? random.nextBoolean() : i < keep;
            if (kept) {
                unsyncedDirectoryOps.get(i).replay(survivors);
            } else {
                directoryOpsUndone++;
            }
        }
        unsyncedDirectoryOps.clear();
        names.clear();
        names.putAll(survivors);
        durableNames = new HashMap<>(survivors);
        for (Inode inode : new HashSet<>(survivors.values())) {
            inode.loseUnsynced(loseEverything);
        }
        dead = true;
        locked = false;
    }

    /**
     * Crashes at the {@code mutations}-th write, truncation, sync or directory change from now,
     * which then fails: a power failure if {@code powerLoss}, else a process crash ({@link
     * #abandon()}) that keeps every byte written before it.
     */
    synchronized void crashAfter(int mutations, boolean powerLoss) {
        if (mutations < 1) {
            throw new IllegalArgumentException("mutations must be >= 1");
        }
        mutationsUntilCrash = mutations;
        crashIsPowerLoss = powerLoss;
    }

    /**
     * Fails the {@code mutations}-th write, truncation, sync or directory change from now with an
     * IOException, as a full disk or a media error would; it has no effect and the disk stays up.
     */
    synchronized void failAfter(int mutations) {
        if (mutations < 1) {
            throw new IllegalArgumentException("mutations must be >= 1");
        }
        mutationsUntilError = mutations;
    }

    /** Cancels a {@link #crashAfter} or {@link #failAfter} that has not fired. */
    synchronized void cancelFaults() {
        mutationsUntilCrash = -1;
        mutationsUntilError = -1;
    }

    /** A process crash: the mount dies, every byte written so far stays (the OS still has it). */
    synchronized void abandon() {
        dead = true;
        locked = false;
    }

    /**
     * Stops every thread whose name starts with {@code threadNamePrefix} at its next call until
     * {@link #release()}: a test holds the store's background thread to open a window that is
     * otherwise a race.
     */
    void hold(String threadNamePrefix) {
        synchronized (gate) {
            heldThreads = threadNamePrefix;
        }
    }

    void release() {
        synchronized (gate) {
            heldThreads = null;
            gate.notifyAll();
        }
    }

    /** Waits while the calling thread is held; called before taking the disk's lock. */
    private void pass() throws IOException {
        synchronized (gate) {
            while (heldThreads != null && Thread.currentThread().getName().startsWith(heldThreads)) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while held");
                }
            }
        }
    }

    /** Whether the current mount was killed by a crash or {@link #abandon()}. */
    synchronized boolean isDead() {
        return dead;
    }

    /** Names and sizes of the files, for failure messages. */
    synchronized String describe() {
        StringBuilder out = new StringBuilder();
        names.keySet().stream()
                .sorted()
                .forEach(name -> out.append(name)
                        .append('=')
                        .append(names.get(name).length)
                        .append(' '));
        return out.toString().trim();
    }

    /** The current bytes of {@code name}, for tests that damage files. */
    synchronized byte[] contents(String name) throws NoSuchFileException {
        Inode inode = names.get(name);
        if (inode == null) {
            throw new NoSuchFileException(name);
        }
        return Arrays.copyOf(inode.data, inode.length);
    }

    /** Called before every mutation: fails it or crashes when {@link #failAfter} or {@link #crashAfter} says so. */
    private void mutation(int generation) throws IOException {
        checkAlive(generation);
        if (mutationsUntilError > 0 && --mutationsUntilError == 0) {
            mutationsUntilError = -1;
            errorsInjected++;
            throw new IOException("no space left on device (injected)");
        }
        if (mutationsUntilCrash > 0 && --mutationsUntilCrash == 0) {
            mutationsUntilCrash = -1;
            if (crashIsPowerLoss) {
                crash();
                throw new IOException("power failure (injected)");
            }
            abandon();
            throw new IOException("process crash (injected)");
        }
    }

    private void checkAlive(int generation) throws IOException {
        if (generation != mountGeneration || dead) {
            throw new IOException("the disk is gone: the store's process crashed (injected)");
        }
    }

    /** A file's bytes, as the page cache has them and as the disk has them. */
    private final class Inode {
        private byte[] data = new byte[0];
        private int length;
        private byte[] durable = new byte[0];
        private final List<FileOp> unsynced = new ArrayList<>();

        void write(long position, ByteBuffer src) {
            byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            apply(new FileOp(position, bytes, -1));
        }

        void truncate(long size) {
            if (size < length) {
                apply(new FileOp(-1, null, size));
            }
        }

        void force() {
            durable = Arrays.copyOf(data, length);
            unsynced.clear();
        }

        private void apply(FileOp op) {
            unsynced.add(op);
            op.applyTo(this, op.bytes == null ? 0 : op.bytes.length, false);
        }

        void loseUnsynced(boolean loseEverything) {
            int kept = loseEverything ? 0 : random.nextInt(unsynced.size() + 1);
            unsyncedOpsLost += unsynced.size() - kept;
            List<FileOp> replay = new ArrayList<>(unsynced.subList(0, kept));
            data = durable.clone();
            length = durable.length;
            for (FileOp op : replay) {
                op.applyTo(this, op.bytes == null ? 0 : op.bytes.length, false);
            }
            if (!loseEverything && kept < unsynced.size() && random.nextBoolean()) {
                FileOp torn = unsynced.get(kept);
                if (torn.bytes != null) {
                    tornWrites++;
                    torn.applyTo(this, tornLength(torn), random.nextBoolean());
                }
            }
            unsynced.clear();
            durable = Arrays.copyOf(data, length);
        }

        /** How much of a torn write reached the disk: whole sectors, since a sector is written atomically. */
        private int tornLength(FileOp write) {
            long firstBoundary = (write.position / SECTOR + 1) * SECTOR;
            long end = write.position + write.bytes.length;
            int boundaries = firstBoundary >= end ? 0 : (int) ((end - 1 - firstBoundary) / SECTOR + 1);
            int cut = random.nextInt(boundaries + 1);
            return cut == 0 ? 0 : (int) (firstBoundary + (long) (cut - 1) * SECTOR - write.position);
        }

        void ensureLength(long newLength) {
            if (newLength > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("LossyDisk files are limited to 2 GiB");
            }
            if (newLength > data.length) {
                data = Arrays.copyOf(data, (int) Math.max(newLength, data.length * 2L));
            }
            if (newLength > length) {
                length = (int) newLength;
            }
        }
    }

    /** A write ({@code bytes} at {@code position}) or a truncation (to {@code size}). */
    private record FileOp(long position, byte[] bytes, long size) {
        /**
         * Applies the first {@code count} bytes of a write; with {@code zeroRest} the file still
         * grows to where the whole write would have ended, with zeros.
         */
        void applyTo(Inode inode, int count, boolean zeroRest) {
            if (bytes == null) {
                if (size < inode.length) {
                    Arrays.fill(inode.data, (int) size, inode.length, (byte) 0);
                    inode.length = (int) size;
                }
                return;
            }
            long end = position + (zeroRest ? bytes.length : count);
            int oldLength = inode.length;
            inode.ensureLength(end);
            System.arraycopy(bytes, 0, inode.data, (int) position, count);
            for (long at = Math.max(position + count, oldLength); at < end; at++) {
                inode.data[(int) at] = 0;
            }
        }
    }

    /** A directory change since the last sync, replayed onto the durable names if a crash keeps it. */
    private sealed interface DirectoryOp {
        void replay(Map<String, Inode> durable);

        record Create(String name, Inode inode) implements DirectoryOp {
            @Override
            public void replay(Map<String, Inode> durable) {
                durable.put(name, inode);
            }
        }

        record Rename(String from, String to, Inode inode) implements DirectoryOp {
            @Override
            public void replay(Map<String, Inode> durable) {
                // If the file's creation was undone, there is nothing to rename.
                if (durable.get(from) == inode) {
                    durable.remove(from);
                    durable.put(to, inode);
                }
            }
        }

        record Delete(String name, Inode inode) implements DirectoryOp {
            @Override
            public void replay(Map<String, Inode> durable) {
                durable.remove(name, inode);
            }
        }
    }

    /** One mount: what a store sees. */
    private final class View implements Disk {
        private final int generation;

        View(int generation) {
            this.generation = generation;
        }

        @Override
        public DiskFile open(String name, boolean create) throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                checkAlive(generation);
                Inode inode = names.get(name);
                if (inode == null) {
                    if (!create) {
                        throw new NoSuchFileException(name);
                    }
                    mutation(generation);
                    inode = new Inode();
                    names.put(name, inode);
                    unsyncedDirectoryOps.add(new DirectoryOp.Create(name, inode));
                }
                return new File(generation, name, inode);
            }
        }

        @Override
        public List<String> list() throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                checkAlive(generation);
                return new ArrayList<>(names.keySet());
            }
        }

        @Override
        public boolean exists(String name) throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                checkAlive(generation);
                return names.containsKey(name);
            }
        }

        @Override
        public void delete(String name) throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                checkAlive(generation);
                if (names.containsKey(name)) {
                    mutation(generation);
                    unsyncedDirectoryOps.add(new DirectoryOp.Delete(name, names.remove(name)));
                }
            }
        }

        @Override
        public void rename(String from, String to) throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                checkAlive(generation);
                Inode inode = names.get(from);
                if (inode == null) {
                    throw new NoSuchFileException(from);
                }
                mutation(generation);
                names.remove(from);
                names.put(to, inode);
                unsyncedDirectoryOps.add(new DirectoryOp.Rename(from, to, inode));
            }
        }

        @Override
        public void syncDirectory() throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                mutation(generation);
                durableNames = new HashMap<>(names);
                unsyncedDirectoryOps.clear();
            }
        }

        @Override
        public Closeable lock(String name) throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                checkAlive(generation);
                if (locked) {
                    throw new StoreLockedException("LossyDisk is in use by another store");
                }
                locked = true;
            }
            return () -> {
                synchronized (LossyDisk.this) {
                    if (generation == mountGeneration && !dead) {
                        locked = false;
                        mounted = false;
                    }
                }
            };
        }

        @Override
        public String toString() {
            return "LossyDisk mount " + generation;
        }
    }

    /** An open file: bound to its inode, like a file descriptor. */
    private final class File implements DiskFile {
        private final int generation;
        private final String openedAs;
        private final Inode inode;
        private boolean closed;

        File(int generation, String openedAs, Inode inode) {
            this.generation = generation;
            this.openedAs = openedAs;
            this.inode = inode;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                check();
                if (position >= inode.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), inode.length - position);
                dst.put(inode.data, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                check();
                mutation(generation);
                inode.write(position, src);
            }
        }

        @Override
        public void force() throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                check();
                mutation(generation);
                inode.force();
            }
        }

        @Override
        public long size() throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                check();
                return inode.length;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            pass();
            synchronized (LossyDisk.this) {
                check();
                mutation(generation);
                inode.truncate(size);
            }
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            byte[] bytes;
            pass();
            synchronized (LossyDisk.this) {
                check();
                int n = (int) Math.max(0, Math.min(count, inode.length - position));
                bytes = Arrays.copyOfRange(inode.data, (int) position, (int) position + n);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                target.write(buffer);
            }
            return bytes.length;
        }

        @Override
        public void close() {
            synchronized (LossyDisk.this) {
                closed = true;
            }
        }

        private void check() throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            checkAlive(generation);
        }

        @Override
        public String toString() {
            return openedAs;
        }
    }
}
