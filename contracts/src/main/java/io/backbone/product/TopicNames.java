package io.backbone.product;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The platform's topic naming rule: {@code <domain>.(raw|product|dlq).<name>[.v<N>]}. */
public final class TopicNames {
    public static final Pattern PATTERN =
            Pattern.compile("^([a-z][a-z0-9-]*)\\.(raw|product|dlq)\\.([a-z][a-z0-9-]*)(\\.v([0-9]+))?$");

    private TopicNames() {}

    public static boolean valid(String topic) {
        return topic != null && PATTERN.matcher(topic).matches();
    }

    /** The kind of a valid name: raw, product or dlq; null if the name is not valid. */
    public static String kind(String topic) {
        if (topic == null) {
            return null;
        }
        Matcher m = PATTERN.matcher(topic);
        return m.matches() ? m.group(2) : null;
    }

    /** The DLQ topic of a join product: {@code sales.product.paid-orders.v1} → {@code sales.dlq.paid-orders}. */
    public static String dlqForProduct(String productTopic) {
        Matcher m = PATTERN.matcher(productTopic);
        if (!m.matches() || !"product".equals(m.group(2))) {
            throw new IllegalArgumentException(productTopic + " is not a product topic name");
        }
        return m.group(1) + ".dlq." + m.group(3);
    }

    /** The DLQ topic of a raw stream: {@code orders.raw.order-events} → {@code orders.dlq.order-events}. */
    public static String dlqFor(String rawTopic) {
        Matcher m = PATTERN.matcher(rawTopic);
        if (!m.matches() || !"raw".equals(m.group(2))) {
            throw new IllegalArgumentException(rawTopic + " is not a raw topic name");
        }
        return m.group(1) + ".dlq." + m.group(3);
    }
}
