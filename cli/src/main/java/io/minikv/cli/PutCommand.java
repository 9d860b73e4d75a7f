package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.minikv.client.Condition;
import io.minikv.client.MinikvClient;
import io.minikv.client.PutResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "put",
        mixinStandardHelpOptions = true,
        description = {
            "Store a value under a key, from the argument, a file or standard input.",
            "Without VALUE and --file the value is read from standard input to its end (like etcdctl put),"
                    + " streamed: 'tar c dir | minikv put backup.tar'."
        })
final class PutCommand extends ClientCommand {
    private static final String CONTENT_TYPE = "application/octet-stream";

    @ParentCommand
    private MinikvCommand minikv;

    @Parameters(index = "0", paramLabel = "KEY", description = "1 to 1024 bytes of UTF-8")
    private String key;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "VALUE",
            description = "the value (UTF-8); without it, --file or stdin")
    private String value;

    @Option(names = "--file", paramLabel = "PATH", description = "read the value from this file, streamed")
    private Path file;

    @Override
    int run(MinikvClient client) throws IOException {
        PutResult result;
        if (value != null && file != null) {
            throw new ParameterException(spec().commandLine(), "give VALUE or --file, not both");
        } else if (value != null) {
            result = client.put(key, value.getBytes(UTF_8));
        } else if (file != null) {
            long size = Files.size(file);
            try (InputStream data = TransferProgress.track(Files.newInputStream(file), size, "put " + key)) {
                result = client.put(key, data, size, CONTENT_TYPE, Condition.NONE);
            }
        } else {
            result = client.put(key, minikv.stdin().stream(), -1, CONTENT_TYPE, Condition.NONE);
        }
        print(result);
        return 0;
    }
}
