package io.minikv.volume;

import io.minikv.storage.StoreOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A volume server in a process of its own, for tests that kill it or limit its heap. Arguments:
 * the data directory and, optionally, the segment size. Prints {@code port N} once serving;
 * answers the line {@code heap} with {@code heap PEAK_BYTES}; stops gracefully at the end of its
 * standard input.
 */
public final class VolumeServerProcess {
    private VolumeServerProcess() {}

    public static void main(String[] args) throws IOException {
        StoreOptions options = StoreOptions.defaults();
        if (args.length > 1) {
            options = options.withSegmentSize(Long.parseLong(args[1]));
        }
        VolumeServer server =
                VolumeServer.start(VolumeConfig.standalone("child", HostPort.parse("127.0.0.1:0"), Path.of(args[0]))
                        .withStoreOptions(options));
        System.out.println("port " + server.httpAddress().port());
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            if (line.equals("heap")) {
                System.out.println("heap " + peakHeapBytes());
                System.out.flush();
            }
        }
        server.stop();
    }

    /** The sum of every heap pool's peak use since start: an upper bound of the heap ever in use. */
    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
