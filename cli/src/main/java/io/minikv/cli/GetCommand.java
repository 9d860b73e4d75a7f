package io.minikv.cli;

import io.minikv.client.Blob;
import io.minikv.client.MinikvClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Write the value of a key to stdout as it is stored (exit code 1 when it is missing).")
final class GetCommand extends ClientCommand {
    @ParentCommand
    private MinikvCommand minikv;

    @Parameters(index = "0", paramLabel = "KEY")
    private String key;

    @Option(names = "--output", paramLabel = "PATH", description = "write the value to this file instead of stdout")
    private Path output;

    @Override
    int run(MinikvClient client) throws IOException {
        try (Blob blob = client.get(key)) {
            if (output == null) {
                OutputStream stdout = minikv.stdout();
                blob.data().transferTo(stdout);
                stdout.flush();
                return 0;
            }
            try (InputStream data =
                            TransferProgress.track(blob.data(), blob.metadata().size(), "get " + key);
                    OutputStream file = Files.newOutputStream(output)) {
                data.transferTo(file);
            } catch (IOException | RuntimeException e) {
                // A value cut off halfway must not look like a whole one.
                Files.deleteIfExists(output);
                throw e;
            }
        }
        return 0;
    }
}
