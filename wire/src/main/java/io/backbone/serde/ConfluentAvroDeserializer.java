package io.backbone.serde;

import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Confluent-framed Avro: generic records, or generated classes when a type is given or
 * {@code specific.avro.reader=true}.
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private final Class<T> type;
    private AvroDecoder decoder;

    /** For Kafka's reflective construction: generic records unless {@code specific.avro.reader} is set. */
    public ConfluentAvroDeserializer() {
        this.type = null;
    }

    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.type = type;
        this.decoder = decoderFor(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = new RestSchemaRegistryClient(configs);
            ownsRegistry = true;
        }
        if (decoder == null) {
            boolean specific = new AvroSerdeConfig(configs).getBoolean(AvroSerdeConfig.SPECIFIC_AVRO_READER);
            decoder = specific && type == null ? AvroDecoder.specific(registry, null) : decoderFor(type);
        }
    }

    private AvroDecoder decoderFor(Class<T> type) {
        if (type == null || !org.apache.avro.specific.SpecificRecord.class.isAssignableFrom(type)) {
            return AvroDecoder.generic(registry);
        }
        Schema schema = SpecificData.get().getSchema(type);
        return AvroDecoder.specific(registry, schema);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        return (T) decoder.decode(data);
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
