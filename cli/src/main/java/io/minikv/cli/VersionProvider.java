package io.minikv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code minikv --version}: the project version, filtered in by the build, and the JVM running it. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {
            "minikv " + properties.getProperty("version", "(unknown version)"),
            "JVM: " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
        };
    }
}
