package io.backbone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.console.ProgressLine;
import io.backbone.console.Table;
import io.backbone.ops.dlq.DlqStats;
import io.backbone.ops.dlq.Redrive;
import io.backbone.registry.RestSchemaRegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Dead-letter topics: what they hold, and sending their records back once the cause is fixed. */
@Command(
        name = "dlq",
        description = "Inspect a dead-letter topic (stats) and send its records back to their source (redrive).",
        subcommands = {DlqCommand.Stats.class, DlqCommand.RedriveCommand.class})
final class DlqCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a dlq command, e.g. 'backbone dlq stats orders.dlq.order-events'");
    }

    private static String time(long ms) {
        return ms == Long.MAX_VALUE || ms == Long.MIN_VALUE
                ? "-"
                : Instant.ofEpochMilli(ms).toString();
    }

    /** {@code 2026-12-01T10:00:00Z}, or a time ago: {@code 30m}, {@code 2h}, {@code 1d}, {@code PT90M}. */
    static long parseTime(String flag, String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException notAnInstant) {
            java.util.regex.Matcher ago =
                    java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(value);
            if (ago.matches()) {
                long n = Long.parseLong(ago.group(1));
                Duration d =
                        switch (ago.group(2)) {
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        };
                return Instant.now().minus(d).toEpochMilli();
            }
            throw new UsageException(flag + " " + value
                    + ": not a time; give an instant (2026-12-01T10:00:00Z) or a time ago (90s, 30m, 2h, 1d)");
        }
    }

    @Command(name = "stats", description = "Count a dead-letter topic's records by stage, rule, source and redrives.")
    static final class Stats implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(paramLabel = "DLQ_TOPIC", description = "e.g. orders.dlq.order-events")
        String topic;

        @Option(names = "--format", defaultValue = "text", description = "text or json.")
        String format;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("text") && !format.equals("json")) {
                throw new UsageException("--format " + format + ": choose text or json");
            }
            cluster.connect(false);
            DlqStats s = DlqStats.of(cluster.settings().clientConfig(), topic);
            if (format.equals("json")) {
                ObjectMapper json = new ObjectMapper();
                ObjectNode out = json.createObjectNode()
                        .put("topic", s.topic)
                        .put("deadLetters", s.all.count)
                        .put("oldest", time(s.all.oldest))
                        .put("newest", time(s.all.newest))
                        .put("alreadyRedriven", s.alreadyRedriven)
                        .put("withoutProvenance", s.noProvenance);
                groups(out.putObject("byStage"), s.byStage);
                groups(out.putObject("byRule"), s.byRule);
                groups(out.putObject("bySource"), s.bySource);
                groups(out.putObject("byRedriveCount"), s.byRedriveCount);
                System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
                return 0;
            }
            System.out.printf(
                    "%s: %,d dead letters, oldest %s, newest %s; %,d already redriven%s%n%n",
                    s.topic,
                    s.all.count,
                    time(s.all.oldest),
                    time(s.all.newest),
                    s.alreadyRedriven,
                    s.noProvenance == 0
                            ? ""
                            : String.format(", %,d without the backbone's provenance headers", s.noProvenance));
            Table rules = new Table("stage", "rule", "count", "oldest", "newest");
            s.byRule.forEach((k, g) -> {
                String[] sr = k.split(" ", 2);
                rules.row(sr[0], sr[1], String.format("%,d", g.count), time(g.oldest), time(g.newest));
            });
            System.out.println(rules.render());
            Table sources = new Table("source topic", "count");
            s.bySource.forEach((k, g) -> sources.row(k, String.format("%,d", g.count)));
            System.out.println(sources.render());
            Table redrives = new Table("redriven before", "count");
            s.byRedriveCount.forEach((k, g) -> redrives.row(k + " times", String.format("%,d", g.count)));
            System.out.println(redrives.render());
            return 0;
        }

        private static void groups(ObjectNode node, Map<?, DlqStats.Group> groups) {
            groups.forEach((k, g) -> node.putObject(String.valueOf(k))
                    .put("count", g.count)
                    .put("oldest", time(g.oldest))
                    .put("newest", time(g.newest)));
        }
    }

    @Command(
            name = "redrive",
            description = "Send dead letters back to the raw topic they came from (exactly once; a record redriven"
                    + " --max-attempts times is parked in <dlq>.parked instead).")
    static final class RedriveCommand implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(paramLabel = "DLQ_TOPIC", description = "e.g. orders.dlq.order-events")
        String topic;

        @Option(names = "--rule", description = "Only dead letters whose first failed rule is this one.")
        String rule;

        @Option(names = "--stage", description = "Only dead letters of this stage (deserialize, schema, quality, …).")
        String stage;

        @Option(
                names = "--since",
                paramLabel = "TIME",
                description = "Only dead letters written since (instant or 2h, 1d ago).")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Only dead letters written until.")
        String until;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "-1", description = "At most N dead letters.")
        long limit;

        @Option(
                names = "--max-attempts",
                paramLabel = "N",
                defaultValue = "3",
                description =
                        "Park a record already redriven N times instead of sending it again (default ${DEFAULT-VALUE}).")
        int maxAttempts;

        @Option(names = "--dry-run", description = "Say what would be redriven, parked or refused; send nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Also send poison pills (bytes that do not decode).")
        boolean force;

        /** The raw topics the catalog says feed {@code dlq}: the only topics a redrive may write to. */
        java.util.Set<String> feeds(String dlq) {
            java.util.Set<String> out = new java.util.TreeSet<>();
            for (io.backbone.product.DataProduct p : cluster.loadCatalog().products()) {
                if (dlq.equals(p.dlqTopic()) && p.rawTopic() != null) {
                    out.add(p.rawTopic());
                }
            }
            return out;
        }

        @Override
        public Integer call() throws Exception {
            if (maxAttempts < 1) {
                throw new UsageException("--max-attempts " + maxAttempts + ": give 1 or more");
            }
            long from = parseTime("--since", since);
            long to = parseTime("--until", until);
            cluster.connect(true);
            Map<String, Object> config = cluster.settings().clientConfig();
            ProgressLine progress = new ProgressLine(System.err);
            Redrive.Outcome o;
            try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(config)) {
                o = new Redrive(config, registry)
                        .run(
                                new Redrive.Options(
                                        topic, rule, stage, from, to, limit, maxAttempts, dryRun, force, feeds(topic)),
                                progress::show);
            }
            progress.done(
                    (dryRun ? "dry run: " : "") + topic + ": read " + String.format("%,d", o.read()) + " dead letters");
            Table t = new Table("outcome", "to", "records");
            o.redriven()
                    .forEach((source, n) ->
                            t.row(dryRun ? "would redrive" : "redriven", source, String.format("%,d", n)));
            t.row(
                    dryRun ? "would park" : "parked",
                    io.backbone.product.PlatformTopics.parked(topic),
                    String.format("%,d", o.parked()));
            t.row("already redriven", "-", String.format("%,d", o.alreadyRedriven()));
            t.row("not selected (filters, limit)", "-", String.format("%,d", o.filteredOut()));
            t.row("refused: poison pill", "-", String.format("%,d", o.poisonRefused()));
            t.row("skipped: no provenance", "-", String.format("%,d", o.noProvenance()));
            t.row("refused: source is not a feed of " + topic, "-", String.format("%,d", o.notAFeed()));
            System.out.println(t.render());
            o.refusals().forEach(r -> System.out.println("  " + r));
            if (!dryRun && o.redrivenTotal() > 0) {
                System.out.println(
                        "The backbone processes the redriven records again: valid ones reach the product, the"
                                + " others come back to " + topic + " with backbone.redrive.count set.");
            }
            return 0;
        }
    }
}
