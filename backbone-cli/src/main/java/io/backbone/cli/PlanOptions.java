package io.backbone.cli;

import picocli.CommandLine.Option;

/** What plan, apply and provision share: the partitions of new topics and the backbone's application id. */
final class PlanOptions {
    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "Partitions of new topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--app-id",
            defaultValue = "backbone",
            description = "The backbone's application id: its group, internal topics and transactional ids are granted "
                    + "by this prefix (default ${DEFAULT-VALUE}).")
    String appId;

    int partitions() {
        if (partitions < 1) {
            throw new UsageException("--partitions " + partitions + ": give at least 1");
        }
        return partitions;
    }
}
