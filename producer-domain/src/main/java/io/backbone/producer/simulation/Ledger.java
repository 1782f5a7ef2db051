package io.backbone.producer.simulation;

import io.backbone.producer.faults.Fault;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** The simulator's own record of every event it sent and how it spoiled it. */
public final class Ledger {
    private final List<LedgerEntry> entries = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sendFailures = new AtomicLong();

    void add(LedgerEntry entry) {
        entries.add(entry);
    }

    private final Set<String> soiled = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Event {@code eventId} on {@code topic} was written carelessly, in a way its contracts correct. */
    void soiled(String topic, String eventId) {
        soiled.add(topic + "/" + eventId);
    }

    /** Event ids the product of {@code rawTopic} must hold with the header that says they were corrected. */
    public Set<String> expectedCorrectedIds(String rawTopic) {
        Set<String> out = new java.util.HashSet<>();
        for (String id : expectedProductIds(rawTopic)) {
            if (soiled.contains(rawTopic + "/" + id)) {
                out.add(id);
            }
        }
        return out;
    }

    void sendFailed() {
        sendFailures.incrementAndGet();
    }

    private final Map<String, AtomicLong> refused = new java.util.concurrent.ConcurrentHashMap<>();

    void countRefused(String topic) {
        refused.computeIfAbsent(topic, t -> new AtomicLong()).incrementAndGet();
    }

    /** Events a service refused before they left it (its outbox's contract check rolled them back). */
    public long refused(String topic) {
        AtomicLong n = refused.get(topic);
        return n == null ? 0 : n.get();
    }

    public List<LedgerEntry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** Sends the broker refused after every retry (they are in no topic, so they are reported, not reconciled). */
    public long sendFailures() {
        return sendFailures.get();
    }

    public List<LedgerEntry> forTopic(String topic) {
        return entries().stream().filter(e -> e.topic().equals(topic)).toList();
    }

    /** Event ids the product of {@code rawTopic} must hold, once each. */
    public List<String> expectedProductIds(String rawTopic) {
        return forTopic(rawTopic).stream()
                .filter(e -> e.fault() == Fault.NONE)
                .map(LedgerEntry::eventId)
                .toList();
    }

    /** Expected DLQ records of {@code rawTopic} per stage. */
    public Map<String, Long> expectedDlqByStage(String rawTopic) {
        return forTopic(rawTopic).stream()
                .filter(e -> e.fault().outcome() == Fault.Outcome.DLQ)
                .collect(Collectors.groupingBy(e -> e.fault().stage(), TreeMap::new, Collectors.counting()));
    }

    public long expectedDuplicates(String rawTopic) {
        return forTopic(rawTopic).stream()
                .filter(e -> e.fault() == Fault.DUPLICATE)
                .count();
    }

    /** The entry sent to {@code topic}, {@code partition}, {@code offset}, or null. */
    /** The entry of event {@code eventId} on {@code topic} (for events relayed from an outbox, whose offsets the
     * service never learns); null if none. */
    public LedgerEntry byEventId(String topic, String eventId) {
        return entries().stream()
                .filter(e -> e.topic().equals(topic) && e.eventId().equals(eventId))
                .findFirst()
                .orElse(null);
    }

    public LedgerEntry at(String topic, int partition, long offset) {
        return entries().stream()
                .filter(e -> e.topic().equals(topic) && e.partition() == partition && e.offset() == offset)
                .findFirst()
                .orElse(null);
    }
}
