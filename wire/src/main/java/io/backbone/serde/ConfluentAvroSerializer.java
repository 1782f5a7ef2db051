package io.backbone.serde;

import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer writing Avro records byte for byte as Confluent's KafkaAvroSerializer does. */
public final class ConfluentAvroSerializer<T extends GenericContainer> implements Serializer<T> {
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private boolean autoRegister = true;
    private boolean useLatest;
    private boolean isKey;
    private final AvroEncoder encoder = new AvroEncoder();

    /** For Kafka's reflective construction; {@link #configure} supplies the registry. */
    public ConfluentAvroSerializer() {}

    public ConfluentAvroSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        this.autoRegister = config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS);
        this.useLatest = config.getBoolean(AvroSerdeConfig.USE_LATEST_VERSION);
        if (registry == null) {
            registry = new RestSchemaRegistryClient(configs);
            ownsRegistry = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        String subject = isKey ? AvroSerdeConfig.keySubject(topic) : AvroSerdeConfig.valueSubject(topic);
        Schema schema = record.getSchema();
        int id;
        if (useLatest) {
            id = registry.latest(subject).id();
        } else if (autoRegister) {
            id = registry.register(subject, schema);
        } else {
            id = registry.idOf(subject, schema);
        }
        return encoder.encode(id, schema, record);
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
