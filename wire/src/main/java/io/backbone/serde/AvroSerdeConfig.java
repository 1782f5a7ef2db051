package io.backbone.serde;

import io.backbone.registry.RegistryClientConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Serializer and deserializer settings, under the names Confluent's Avro serde uses. */
public final class AvroSerdeConfig extends AbstractConfig {
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    public static final ConfigDef CONFIG = new ConfigDef(RegistryClientConfig.CONFIG)
            .define(
                    AUTO_REGISTER_SCHEMAS,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Register the record's schema under <topic>-value when serializing; false looks its id up only.")
            .define(
                    USE_LATEST_VERSION,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "Serialize under the id of the subject's latest version instead of the record's own schema.")
            .define(
                    SPECIFIC_AVRO_READER,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Deserialize into generated classes instead of GenericRecord.");

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** Subject of a topic's values under Confluent's TopicNameStrategy. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** Subject of a topic's keys under Confluent's TopicNameStrategy. */
    public static String keySubject(String topic) {
        return topic + "-key";
    }
}
