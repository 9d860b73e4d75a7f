package io.minikv.cli;

import java.io.InputStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr for a large transfer, shown only when a person watches a terminal:
 * piped or redirected, the command stays quiet.
 */
final class TransferProgress {
    /** Below this, a transfer is over before a bar says anything useful. */
    static final long MIN_SIZE = 1 << 20;

    private TransferProgress() {}

    /** {@code data}, counted on a progress bar named {@code task} when the bar is worth showing. */
    static InputStream track(InputStream data, long size, String task) {
        // Since JDK 22 System.console() is not null when redirected; isTerminal() tells.
        java.io.Console console = System.console();
        if (size < MIN_SIZE || console == null || !console.isTerminal()) {
            return data;
        }
        return ProgressBar.wrap(
                data,
                new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(size)
                        .setUnit("MiB", 1 << 20)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)));
    }
}
