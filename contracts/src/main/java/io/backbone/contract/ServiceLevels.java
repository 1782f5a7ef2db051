package io.backbone.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Reading ODCS {@code slaProperties}: values with ISO-ish units (d, h, w, y…) as durations. */
public final class ServiceLevels {
    private ServiceLevels() {}

    /** An SLA property's {@code value} and {@code unit} as a duration (unit defaults to days). */
    public static Duration duration(JsonNode sla) {
        double value = sla.path("value").asDouble();
        double hours =
                switch (sla.path("unit").asText("d")) {
                    case "h", "hr", "hour", "hours" -> value;
                    case "m", "min", "minute", "minutes" -> value / 60;
                    case "s", "sec", "second", "seconds" -> value / 3600;
                    case "ms", "millisecond", "milliseconds" -> value / 3_600_000;
                    case "w", "week", "weeks" -> value * 24 * 7;
                    case "y", "yr", "year", "years" -> value * 24 * 365;
                    default -> value * 24;
                };
        return Duration.ofMillis(Math.round(hours * 3_600_000));
    }

    /**
     * A contract-level {@code {metric: invalidValues, unit: percent, mustBeLessThan|mustBeLessOrEqualTo: N}}: at most
     * N % of a status window's records may be dead-lettered. Checked per window by the backbone, not per record.
     */
    public static boolean isDeadLetterThreshold(QualitySpec q) {
        return "invalidValues".equals(q.metric())
                && "percent".equals(q.node().path("unit").asText())
                && (q.node().path("mustBeLessThan").isNumber()
                        || q.node().path("mustBeLessOrEqualTo").isNumber());
    }

    /** The dead-letter threshold in percent the contract declares, or null. */
    public static Double deadLetterThreshold(DataContract contract) {
        for (QualitySpec q : contract.quality()) {
            if (isDeadLetterThreshold(q)) {
                JsonNode n = q.node().has("mustBeLessThan")
                        ? q.node().get("mustBeLessThan")
                        : q.node().get("mustBeLessOrEqualTo");
                return n.asDouble();
            }
        }
        return null;
    }

    /** An SLA property as a duration, or null when the contract does not state it. */
    public static Duration level(DataContract contract, String property) {
        JsonNode sla = contract.slaProperties().get(property);
        return sla == null ? null : duration(sla);
    }

    /** The contract's retention, or null when it states none. */
    public static Duration retention(DataContract contract) {
        JsonNode retention = contract.slaProperties().get("retention");
        return retention == null ? null : duration(retention);
    }
}
