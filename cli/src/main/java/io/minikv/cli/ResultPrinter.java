package io.minikv.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints a client command's result: as JSON (snake_case names, as on the wire), or as aligned
 * text. In text, an object's plain fields are {@code name  value} rows, its lists of objects are
 * tables with a header, and a list of plain values is one value a line.
 */
final class ResultPrinter {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ResultPrinter() {}

    static void print(PrintWriter out, OutputFormat format, Object result) {
        JsonNode node = JSON.valueToTree(result);
        if (format == OutputFormat.JSON) {
            try {
                out.println(JSON.writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        if (node.isArray()) {
            printList(out, node);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        List<Map.Entry<String, JsonNode>> tables = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isNull() || value.isMissingNode()) {
                continue;
            }
            if (value.isArray() && !value.isEmpty() && value.get(0).isObject()) {
                tables.add(field);
            } else {
                rows.add(new String[] {field.getKey(), text(value)});
            }
        }
        printAligned(out, rows);
        for (Map.Entry<String, JsonNode> table : tables) {
            out.println();
            out.println(table.getKey() + ":");
            printList(out, table.getValue());
        }
    }

    /** Plain values one a line; objects as a table whose columns are all their fields. */
    private static void printList(PrintWriter out, JsonNode list) {
        if (list.isEmpty() || !list.get(0).isObject()) {
            list.forEach(value -> out.println(text(value)));
            return;
        }
        Set<String> columns = new LinkedHashSet<>();
        list.forEach(item -> item.properties().forEach(field -> columns.add(field.getKey())));
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new));
        for (JsonNode item : list) {
            rows.add(columns.stream().map(c -> text(item.path(c))).toArray(String[]::new));
        }
        printAligned(out, rows);
    }

    private static void printAligned(PrintWriter out, List<String[]> rows) {
        int columns = rows.stream().mapToInt(row -> row.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String text(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return String.join(",", items);
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
