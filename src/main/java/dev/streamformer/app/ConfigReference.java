package dev.streamformer.app;

import dev.streamformer.topology.TopologyFile;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;

/**
 * The configuration reference in README.md, generated from the code: every command's options from picocli's model,
 * every topology-file key from the {@link TopologyFile} records. A test fails when README and code disagree;
 * {@code streamformer reference} prints the current text.
 */
final class ConfigReference {

    static final String BEGIN = "<!-- BEGIN GENERATED: streamformer reference -->";
    static final String END = "<!-- END GENERATED -->";

    private ConfigReference() {}

    static String markdown() {
        StringBuilder sb = new StringBuilder();
        CommandLine root = Main.commandLine();
        sb.append("### Command-line options\n\n");
        appendCommands(sb, root, "streamformer");
        sb.append("### Topology file keys\n\n");
        sb.append("| key | type |\n|---|---|\n");
        appendRecord(sb, TopologyFile.class, "");
        return sb.toString();
    }

    private static void appendCommands(StringBuilder sb, CommandLine cmd, String path) {
        List<OptionSpec> options = cmd.getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
        if (!options.isEmpty()) {
            sb.append("**`").append(path).append("`** — ").append(String.join(" ", cmd.getCommandSpec().usageMessage().description()))
                    .append("\n\n| option | meaning |\n|---|---|\n");
            for (OptionSpec o : options) {
                String desc = String.join(" ", o.description()).replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()))
                        .replace("|", "\\|");
                sb.append("| `").append(String.join("`, `", o.names())).append("` | ").append(desc).append(" |\n");
            }
            sb.append('\n');
        }
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && !name.equals("reference")) appendCommands(sb, sub, path + " " + name);
        });
    }

    private static void appendRecord(StringBuilder sb, Class<?> type, String prefix) {
        for (var entry : TopologyFile.keys(type).entrySet()) {
            RecordComponent c = entry.getValue();
            String key = prefix + entry.getKey();
            Type generic = c.getGenericType();
            if (c.getType().isRecord()) {
                sb.append("| `").append(key).append("` | object |\n");
                appendRecord(sb, c.getType(), key + ".");
            } else if (generic instanceof ParameterizedType p && c.getType() == List.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                sb.append("| `").append(key).append("` | list |\n");
                appendRecord(sb, element, key + "[].");
            } else {
                sb.append("| `").append(key).append("` | ").append(simple(generic)).append(" |\n");
            }
        }
    }

    private static String simple(Type t) {
        return t.getTypeName().replaceAll("java\\.(lang|util)\\.", "").replace("<", "&lt;").replace(">", "&gt;");
    }

    @CommandLine.Command(name = "reference", hidden = true, description = "Print the generated configuration reference (for README.md).")
    static final class Command implements Runnable {
        @Override
        public void run() { System.out.print(markdown()); }
    }
}
