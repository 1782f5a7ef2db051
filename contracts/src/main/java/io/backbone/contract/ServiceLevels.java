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

    /** The contract's retention, or null when it states none. */
    public static Duration retention(DataContract contract) {
        JsonNode retention = contract.slaProperties().get("retention");
        return retention == null ? null : duration(retention);
    }
}
