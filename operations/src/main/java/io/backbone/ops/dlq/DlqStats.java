package io.backbone.ops.dlq;

import io.backbone.dlq.DeadLetter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a dead-letter topic holds: counts by stage and by rule (with the oldest and newest dead letter of each), by
 * source topic and by how often the records had been redriven, and how many are redriven already.
 */
public final class DlqStats {
    /** One group of dead letters: how many, and the first and last time one was written (ms). */
    public static final class Group {
        public long count;
        public long oldest = Long.MAX_VALUE;
        public long newest = Long.MIN_VALUE;

        void add(long timestamp) {
            count++;
            oldest = Math.min(oldest, timestamp);
            newest = Math.max(newest, timestamp);
        }
    }

    public final String topic;
    public final Group all = new Group();
    public final Map<String, Group> byStage = new TreeMap<>();
    /** Key {@code <stage> <rule>}. */
    public final Map<String, Group> byRule = new TreeMap<>();

    public final Map<String, Group> bySource = new TreeMap<>();
    /** Key: how many times the dead letter had been redriven before it failed again (0: never). */
    public final Map<Integer, Group> byRedriveCount = new TreeMap<>();

    public long alreadyRedriven;
    public long noProvenance;

    private DlqStats(String topic) {
        this.topic = topic;
    }

    public static DlqStats of(Map<String, Object> clientConfig, String dlqTopic) {
        DlqStats s = new DlqStats(dlqTopic);
        Set<String> done = Redrive.redriven(clientConfig, dlqTopic);
        DeadLetters.readAll(clientConfig, dlqTopic, -1, r -> {
            long t = r.timestamp();
            s.all.add(t);
            String stage = DeadLetters.header(r, DeadLetter.STAGE);
            String source = DeadLetters.header(r, DeadLetter.TOPIC);
            if (stage == null || source == null) {
                s.noProvenance++;
                stage = "(none)";
            }
            String rule = DeadLetters.header(r, DeadLetter.RULE);
            s.byStage.computeIfAbsent(stage, k -> new Group()).add(t);
            s.byRule
                    .computeIfAbsent(stage + " " + (rule == null || rule.isEmpty() ? "-" : rule), k -> new Group())
                    .add(t);
            s.bySource
                    .computeIfAbsent(source == null ? "(unknown)" : source, k -> new Group())
                    .add(t);
            s.byRedriveCount
                    .computeIfAbsent(DeadLetters.redriveCount(r), k -> new Group())
                    .add(t);
            if (done.contains(DeadLetters.position(r))) {
                s.alreadyRedriven++;
            }
        });
        return s;
    }
}
