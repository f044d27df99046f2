package dev.streamformer.app;

import dev.streamformer.topology.TopologyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code streamformer} command. Each subcommand lives in its own class. */
@Command(name = "streamformer", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Transformer inference inside Kafka Streams: embeddings, classifications and generated text on topics.",
        subcommands = {DemoCommand.class, RunCommand.class, ReplayCommand.class, ValidateCommand.class, BrokerCommand.class, EmbedCommand.class, ClassifyCommand.class, RerankCommand.class, EntitiesCommand.class, GenerateCommand.class, TrainCommand.class, TokenizeCommand.class, BenchCommand.class, ConfigReference.Command.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line: errors are printed as one line, not a stack trace or the whole usage. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("streamformer: " + ex.getMessage().replace('\n', ' ') + " (see: streamformer "
                    + failed.getCommandSpec().qualifiedName(" ").replaceFirst("^streamformer ?", "") + (failed == cmd ? "" : " ") + "--help)");
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, failed.getErr());
            return 2;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof TopologyException mistakes && mistakes.problems().size() > 1) {
                // a topology file's mistakes, one FILE:LINE: line each (the form editors jump to)
                commandLine.getErr().println("streamformer: " + mistakes.problems().size() + " mistakes in the topology; fix them and run again:");
                mistakes.problems().forEach(commandLine.getErr()::println);
                return 1;
            }
            commandLine.getErr().println("streamformer: " + oneLine(ex));
            if (Boolean.getBoolean("streamformer.debug")) ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cmd;
    }

    /** The message of the deepest cause that has one, on a single line. */
    static String oneLine(Throwable ex) {
        String message = null;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t.getMessage() != null && message == null) message = t.getMessage();
        }
        if (message == null) message = ex.getClass().getSimpleName();
        return message.replace('\n', ' ');
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"streamformer " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
