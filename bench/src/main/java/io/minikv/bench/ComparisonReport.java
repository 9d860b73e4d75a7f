package io.minikv.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The systems' results side by side: a Markdown table (docs/benchmarks.md) and the same figures as
 * JSON. With two systems the last column is the second's figure over the first's for throughput,
 * and the first's over the second's for failover time, so that above 1 always means the second
 * system did better.
 */
final class ComparisonReport {
    private final ComparisonOptions options;
    private final List<SystemResults> systems;

    ComparisonReport(ComparisonOptions options, List<SystemResults> systems) {
        this.options = options;
        this.systems = List.copyOf(systems);
    }

    String table() {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("row", "value", "clients"));
        for (SystemResults s : systems) {
            header.addAll(List.of(s.system() + " ops/s", s.system() + " p50", s.system() + " p99"));
        }
        if (systems.size() == 2) {
            header.add(systems.get(1).system() + "/" + systems.get(0).system());
        }
        headerLines(out, header);
        for (RowResult first : systems.getFirst().rows()) {
            List<String> cells = rowCells(first);
            List<RowResult> same = sameRows(first);
            for (RowResult row : same) {
                cells.addAll(
                        row == null
                                ? List.of("", "", "")
                                : List.of(
                                        String.format(Locale.ROOT, "%,.0f", row.perSecond())
                                                + (row.errors() > 0 ? " (" + row.errors() + " errors)" : ""),
                                        millis(row.p50Micros()),
                                        millis(row.p99Micros())));
            }
            if (same.size() == 2 && same.get(1) != null) {
                cells.add(ratio(same.get(1).perSecond(), same.get(0).perSecond()));
            }
            line(out, cells);
        }
        List<String> failover = new ArrayList<>(List.of("leader SIGKILL → first write (ms, each kill)", "", ""));
        for (SystemResults s : systems) {
            String millis = String.join(
                    ", ", s.failoverMillis().stream().map(String::valueOf).toList());
            failover.addAll(List.of(millis + (s.failoverError() == null ? "" : " (then failed)"), "", ""));
        }
        if (systems.size() == 2) {
            failover.add(ratio(
                    median(systems.get(0).failoverMillis()),
                    median(systems.get(1).failoverMillis())));
        }
        line(out, failover);
        return out.toString();
    }

    /**
     * CPU time per acknowledged operation of each measured row, in microseconds: the cluster's processes
     * and the driver's (this benchmark's clients), which share the machine's cores.
     */
    String cpuTable() {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("row", "value", "clients"));
        for (SystemResults s : systems) {
            header.addAll(List.of(s.system() + " servers", s.system() + " driver"));
        }
        headerLines(out, header);
        for (RowResult first : systems.getFirst().rows()) {
            List<String> cells = rowCells(first);
            for (RowResult row : sameRows(first)) {
                cells.addAll(
                        row == null
                                ? List.of("", "")
                                : List.of(micros(row.serverCpuMicrosPerOp()), micros(row.driverCpuMicrosPerOp())));
            }
            line(out, cells);
        }
        return out.toString();
    }

    void writeJson(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .registerModule(new SimpleModule().addSerializer(Duration.class, ToStringSerializer.instance));
        Files.createDirectories(file.toAbsolutePath().getParent());
        json.writeValue(file.toFile(), Map.of("options", options, "systems", systems));
    }

    /** Each system's row that measured what {@code first} measured, in the systems' order; null where one did not. */
    private List<RowResult> sameRows(RowResult first) {
        return systems.stream()
                .map(s -> s.rows().stream().filter(first::sameRowAs).findFirst().orElse(null))
                .toList();
    }

    /** The cells that name a row: operation, value size, clients. */
    private static List<String> rowCells(RowResult row) {
        return new ArrayList<>(List.of(row.operation(), size(row.valueSize()), "" + row.clients()));
    }

    /** The header and the alignment line under it. */
    private static void headerLines(StringBuilder out, List<String> header) {
        line(out, header);
        line(out, header.stream().map(h -> h.equals("row") ? "---" : "---:").toList());
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : bytes + " B";
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, micros < 10_000 ? "%.2f ms" : "%.0f ms", micros / 1000.0);
    }

    private static String micros(double micros) {
        return String.format(Locale.ROOT, "%,.0f µs", micros);
    }

    private static String ratio(double numerator, double denominator) {
        return denominator == 0 ? "" : String.format(Locale.ROOT, "%.2f", numerator / denominator);
    }

    private static double median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
    }
}
