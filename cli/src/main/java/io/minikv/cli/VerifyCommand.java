package io.minikv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.minikv.client.MinikvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Check the metadata against the volumes (exit code 1 when it finds problems).")
final class VerifyCommand extends ClientCommand {
    @Option(names = "--deep", description = "also re-read every replica and check its checksum")
    private boolean deep;

    @Override
    int run(MinikvClient client) {
        JsonNode report = client.verify(deep);
        print(report);
        return report.path("ok").asBoolean() && report.path("problems").isEmpty() ? 0 : 1;
    }
}
