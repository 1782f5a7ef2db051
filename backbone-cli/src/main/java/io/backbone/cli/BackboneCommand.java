package io.backbone.cli;

import io.backbone.catalog.CatalogException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code backbone} command: runs, inspects and tests the event backbone. */
@Command(
        name = "backbone",
        mixinStandardHelpOptions = true,
        version = "backbone 0.1.0",
        description = "Event backbone for domain data products on Apache Kafka.",
        subcommands = {
            DemoCommand.class,
            DevClusterCommand.class,
            ProvisionCommand.class,
            LintCommand.class,
            BenchCommand.class,
            ContractCommand.class,
            TopologyCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            SalesCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BackboneCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'backbone demo'");
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new BackboneCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException || e instanceof ConfigException) {
                cmd.getErr().println("backbone " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            if (e instanceof CatalogException c) {
                cmd.getErr().println("backbone " + cmd.getCommandName() + ": the catalog cannot be used:");
                c.problems().forEach(p -> cmd.getErr().println("  " + p));
                return 2;
            }
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("backbone " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
