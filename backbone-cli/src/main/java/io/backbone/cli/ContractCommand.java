package io.backbone.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Commands about contracts themselves. */
@Command(
        name = "contract",
        description = "Work with data contracts.",
        subcommands = {ContractDiffCommand.class, ContractExportCommand.class})
final class ContractCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a contract command, e.g. 'backbone contract diff OLD NEW'");
    }
}
