package io.minikv.cli;

import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Lists every runnable command with its full name ({@code coord serve}, {@code cluster status}),
 * not just the first level as picocli does, and marks those this build cannot run yet, so that
 * {@code minikv --help} shows the whole interface and is honest about it.
 */
final class CommandListRenderer implements IHelpSectionRenderer {
    private static final int NAME_COLUMN_WIDTH = 24;

    /** Uses this renderer for {@code commandLine} and every command under it that has subcommands. */
    static void install(CommandLine commandLine) {
        if (commandLine.getSubcommands().isEmpty()) {
            return;
        }
        commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandListRenderer());
        for (CommandLine sub : new LinkedHashSet<>(commandLine.getSubcommands().values())) {
            install(sub);
        }
    }

    @Override
    public String render(Help help) {
        int width = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumns(
                help.colorScheme(),
                new Column(NAME_COLUMN_WIDTH, 2, Overflow.SPAN),
                new Column(width - NAME_COLUMN_WIDTH, 1, Overflow.WRAP));
        addRows(table, help.commandSpec(), "");
        return table.toString();
    }

    private static void addRows(TextTable table, CommandSpec parent, String prefix) {
        Set<CommandLine> subcommands = new LinkedHashSet<>(parent.subcommands().values());
        for (CommandLine sub : subcommands) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            String name = prefix + spec.name();
            if (!spec.subcommands().isEmpty()) {
                addRows(table, spec, name + " ");
                continue;
            }
            table.addRowValues(name, summary(spec.usageMessage()));
        }
    }

    /** The header's first line if there is one (as picocli's own list does), else the description's. */
    private static String summary(UsageMessageSpec usage) {
        String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
        return lines.length == 0 ? "" : lines[0];
    }
}
