package io.backbone.cli;

import io.backbone.catalog.CatalogException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code backbone} command: runs, inspects and tests the event backbone. */
@Command(
        name = "backbone",
        mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done",
            "1:failed: a check found problems, or the cluster, registry or credentials are not usable (one line "
                    + "says which and the fix; --verbose shows the stack trace)",
            "2:bad flag, argument, file or catalog"
        },
        version = "backbone 0.1.0",
        description = "Event backbone for domain data products on Apache Kafka.",
        subcommands = {
            DemoCommand.class,
            DevClusterCommand.class,
            ProvisionCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            RetireCommand.class,
            CatalogCommand.class,
            LintCommand.class,
            io.backbone.bench.BenchCommand.class,
            ContractCommand.class,
            SecretsCommand.class,
            TopologyCommand.class,
            DlqCommand.class,
            HealthCommand.class,
            CdcCommand.class,
            InventoryServiceCommand.class,
            OrdersServiceCommand.class,
            ProduceCommand.class,
            ProduceJsonCommand.class,
            ConsumeCommand.class,
            SalesCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BackboneCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of failures and the clients' INFO logs.")
    void verbose(boolean on) {
        verbose = on;
        if (on) {
            org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.INFO);
        }
    }

    private static boolean verbose;

    /**
     * Tells the operator something on standard error: a plain line for a terminal, or (with {@code --log-format
     * json}) a JSON log event, so that a log pipeline reads every line of a long-running command.
     */
    static void say(String line) {
        if (logFormat.equals("json")) {
            org.slf4j.LoggerFactory.getLogger("io.backbone.cli").info("{}", line);
        } else {
            System.err.println(line);
        }
    }

    private static String logFormat = "text";

    @CommandLine.Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            scope = CommandLine.ScopeType.INHERIT,
            defaultValue = "${env:BACKBONE_LOG_FORMAT:-text}",
            description = "text (default: one line per event, for a terminal) or json (one JSON object per line with "
                    + "topic, partition, offset and product as fields where a line is about them, for a log"
                    + " pipeline); env BACKBONE_LOG_FORMAT.")
    void logFormat(String format) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--log-format " + format + ": use text or json (or env BACKBONE_LOG_FORMAT)");
        }
        if (format.equals(logFormat)) {
            return;
        }
        logFormat = format;
        try {
            org.apache.logging.log4j.core.config.Configurator.reconfigure(BackboneCommand.class
                    .getResource(format.equals("json") ? "/log4j2-json.xml" : "/log4j2.xml")
                    .toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (verbose) {
            org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.INFO);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'backbone demo'");
    }

    public static int execute(String... args) {
        verbose = false;
        CommandLine cli = new CommandLine(new BackboneCommand());
        withHelpOptions(cli);
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
            String line = Failures.oneLine(e);
            if (line == null) {
                line = e + (verbose ? "" : " (run with --verbose for the stack trace)");
            }
            cmd.getErr().println("backbone " + cmd.getCommandName() + ": " + line);
            if (verbose) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    /** Every command, however deep, takes {@code -h/--help} (and {@code -V/--version}), as picocli's users expect. */
    static void withHelpOptions(CommandLine command) {
        command.getCommandSpec().mixinStandardHelpOptions(true);
        command.getSubcommands().values().forEach(BackboneCommand::withHelpOptions);
    }

    public static void main(String[] args) {
        io.backbone.serde.AvroLimits.install();
        System.exit(execute(args));
    }
}
