package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.minikv.storage.CompactionResult;
import io.minikv.storage.Store;
import io.minikv.storage.StoreStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs REPL lines against a store and writes what they print. It knows nothing of terminals, so
 * the same object serves a person at a prompt, a piped script and the tests. A failed command
 * prints one {@code Error:} line and the session goes on.
 */
final class ReplInterpreter {
    static final int DEFAULT_LIST_PAGE = 1000;

    static final String HELP = """
            Commands:
              set KEY VALUE   store VALUE, the rest of the line (surrounding quotes removed)
              get KEY         print the value of KEY
              delete KEY      delete KEY
              list            print every key, sorted
              stats           print the store's figures
              compact         reclaim the space of overwritten and deleted values
              help            print this list
              quit, exit      leave (so does the end of input)
            A key with spaces can be quoted: get "my key"\
            """;

    private static final byte[] ALL_KEYS = new byte[0];

    private final Store store;
    private final PrintWriter out;
    private final int listPage;

    ReplInterpreter(Store store, PrintWriter out) {
        this(store, out, DEFAULT_LIST_PAGE);
    }

    /** {@code listPage} is how many keys {@code list} takes from the store at a time. */
    ReplInterpreter(Store store, PrintWriter out, int listPage) {
        this.store = store;
        this.out = out;
        this.listPage = listPage;
    }

    /** Runs one line; returns false when it asks to leave. */
    boolean execute(String line) {
        try {
            return run(ReplParser.parse(line));
        } catch (IOException | RuntimeException e) {
            out.println("Error: " + ErrorText.of(e));
            return true;
        } finally {
            out.flush();
        }
    }

    private boolean run(ReplRequest request) throws IOException {
        switch (request) {
            case ReplRequest.Set(String key, String value) -> {
                store.put(key.getBytes(UTF_8), value.getBytes(UTF_8));
                out.println("OK");
            }
            case ReplRequest.Get(String key) ->
                out.println(store.get(key.getBytes(UTF_8))
                        .map(value -> new String(value, UTF_8))
                        .orElse("Key not found"));
            case ReplRequest.Delete(String key) ->
                out.println(store.delete(key.getBytes(UTF_8)) ? "Deleted" : "Key not found");
            case ReplRequest.ListKeys() -> listKeys();
            case ReplRequest.Stats() -> printStats(store.stats());
            case ReplRequest.Compact() -> printCompaction(store.compact());
            case ReplRequest.Help() -> out.println(HELP);
            case ReplRequest.Quit() -> {
                return false;
            }
            case ReplRequest.Blank() -> {}
            case ReplRequest.Unknown(String command) -> out.println("Unknown command: " + command + " (type 'help')");
            case ReplRequest.Malformed(String usage) -> out.println("Usage: " + usage);
        }
        return true;
    }

    /** Prints a page at a time, so that a large store is never held in memory. */
    private void listKeys() {
        byte[] after = null;
        List<byte[]> page;
        do {
            page = store.scan(ALL_KEYS, after, listPage);
            for (byte[] key : page) {
                out.println(new String(key, UTF_8));
            }
            after = page.isEmpty() ? after : page.getLast();
        } while (page.size() == listPage);
    }

    private void printStats(StoreStats stats) {
        out.println("Store Statistics:");
        out.println("  keys:          " + stats.keys());
        out.println("  segments:      " + stats.segments());
        out.println("  total size:    " + ByteSize.describe(stats.totalBytes()));
        out.println("  live bytes:    " + ByteSize.describe(stats.liveBytes()));
        out.println("  dead bytes:    " + ByteSize.describe(stats.deadBytes()));
        out.println("  index memory:  " + ByteSize.describe(stats.indexBytes()));
        out.println("  compactions:   " + stats.compactions() + " since open, "
                + ByteSize.describe(stats.bytesReclaimed()) + " reclaimed");
        out.println("  corruptions:   " + stats.corruptionsReported() + " reported since open");
    }

    private void printCompaction(CompactionResult result) {
        out.println("Compaction finished");
        int segments = result.segmentsCompacted();
        out.println("  " + segments + (segments == 1 ? " segment" : " segments") + " compacted, "
                + ByteSize.describe(result.bytesReclaimed()) + " reclaimed");
    }
}
