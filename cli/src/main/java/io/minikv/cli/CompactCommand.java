package io.minikv.cli;

import io.minikv.client.MinikvClient;
import io.minikv.proto.Shards;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(
        name = "compact",
        mixinStandardHelpOptions = true,
        description = "Compact the storage of every volume, or of one shard.")
final class CompactCommand extends ClientCommand {
    @Option(names = "--shard", paramLabel = "N", description = "only this shard (0 to 255)")
    private Integer shard;

    @Override
    int run(MinikvClient client) {
        if (shard != null && (shard < 0 || shard >= Shards.COUNT)) {
            throw new ParameterException(spec().commandLine(), "--shard must be from 0 to " + (Shards.COUNT - 1));
        }
        print(client.compact(shard));
        return 0;
    }
}
