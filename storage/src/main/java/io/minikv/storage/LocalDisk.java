package io.minikv.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The real file system: one directory, FileChannels, fdatasync. */
final class LocalDisk implements Disk {
    private final Path dir;
    /** Open files by path, so that a rename also moves where an interrupted channel is reopened. */
    private final Map<Path, LocalFile> openFiles = new ConcurrentHashMap<>();

    LocalDisk(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public DiskFile open(String name, boolean create) throws IOException {
        Path path = dir.resolve(name);
        FileChannel channel = create
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        LocalFile file = new LocalFile(path, channel);
        openFiles.put(path, file);
        return file;
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            files.forEach(p -> names.add(p.getFileName().toString()));
            return names;
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Path source = dir.resolve(from);
        Path target = dir.resolve(to);
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        LocalFile file = openFiles.remove(source);
        if (file != null) {
            file.path = target;
            openFiles.put(target, file);
        }
    }

    @Override
    public void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public Closeable lock(String name) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new StoreLockedException("store " + dir + " is in use by another process (lock file " + name + ")");
        }
        FileLock held = lock;
        return () -> {
            held.release();
            channel.close();
        };
    }

    /**
     * A FileChannel that survives interrupts. NIO closes a channel when a thread blocked in it is
     * interrupted, which would break the file for every other reader of the store (a cancelled
     * request on a virtual thread is enough). Here the interrupted call still fails, but the channel
     * is reopened, and calls of other threads that the close cut short are retried: every operation
     * is positional, so a retry is harmless.
     */
    private final class LocalFile implements DiskFile {
        private volatile Path path;
        private volatile FileChannel channel;
        private volatile boolean closed;

        LocalFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return io(c -> c.read(dst, position));
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            io(c -> {
                long at = position;
                while (src.hasRemaining()) {
                    at += c.write(src, at);
                }
                return null;
            });
        }

        @Override
        public void force() throws IOException {
            io(c -> {
                c.force(false);
                return null;
            });
        }

        @Override
        public long size() throws IOException {
            return io(FileChannel::size);
        }

        @Override
        public void truncate(long size) throws IOException {
            io(c -> c.truncate(size));
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return io(c -> c.transferTo(position, count, target));
        }

        @Override
        public void close() throws IOException {
            closed = true;
            openFiles.remove(path, this);
            channel.close();
        }

        private <T> T io(ChannelOperation<T> operation) throws IOException {
            for (; ; ) {
                FileChannel current = channel;
                try {
                    return operation.apply(current);
                } catch (ClosedByInterruptException e) {
                    reopen(current);
                    throw e;
                } catch (ClosedChannelException e) {
                    if (closed) {
                        throw e;
                    }
                    reopen(current);
                }
            }
        }

        private synchronized void reopen(FileChannel broken) throws IOException {
            if (channel == broken && !closed) {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        }
    }

    @FunctionalInterface
    private interface ChannelOperation<T> {
        T apply(FileChannel channel) throws IOException;
    }
}
