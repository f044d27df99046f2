package dev.streamformer.app;

import picocli.CommandLine.Command;

/** {@code streamformer embed}: JSON Lines on stdin → the same events with an {@code embedding} on stdout. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed JSON Lines from stdin: each event comes out on stdout with 'embedding' and 'model' added.")
final class EmbedCommand extends LinesCommand {
    @Override String task() { return "embed"; }
}
