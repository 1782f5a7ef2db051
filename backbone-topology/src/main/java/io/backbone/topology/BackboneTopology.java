package io.backbone.topology;

import io.backbone.contract.Masker;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Severity;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.CelRule;
import io.backbone.product.DataProduct;
import io.backbone.product.JoinSpec;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.internals.ContractEnforcer;
import io.backbone.topology.internals.ContractProcessor;
import io.backbone.topology.internals.JoinProcessor;
import io.backbone.topology.internals.Joined;
import io.backbone.topology.internals.SinkNames;
import java.time.Duration;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The backbone: one sub-topology per data product, raw topic → contract → product topic or DLQ topic. Built from
 * the catalog alone; no product is written in Java.
 */
public final class BackboneTopology {
    private BackboneTopology() {}

    /** Adds every product to {@code builder}; pure (no I/O happens until the topology runs). */
    public static void build(
            StreamsBuilder builder,
            List<DataProduct> products,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup) {
        for (DataProduct product : products) {
            addProduct(builder, product, registry, masker, dedup);
        }
    }

    public static Topology topology(
            List<DataProduct> products, SchemaRegistryClient registry, Masker masker, DedupMode dedup) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, products, registry, masker, dedup);
        return builder.build();
    }

    private static KStream<byte[], byte[]> enforce(
            StreamsBuilder builder,
            DataProduct product,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            String store) {
        String id = product.id();
        KStream<byte[], byte[]> raw = builder.stream(
                product.rawTopic(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(id + "-source"));
        ProcessorSupplier<byte[], byte[], byte[], byte[]> processor =
                () -> new ContractProcessor(() -> new ContractEnforcer(product, registry, masker), dedup, store);
        return store == null
                ? raw.process(processor, Named.as(id + "-contract"))
                : raw.process(processor, Named.as(id + "-contract"), store);
    }

    /** Both sides filtered by their CEL filters, joined by key within the window, then built and enforced. */
    private static KStream<byte[], byte[]> join(
            StreamsBuilder builder,
            DataProduct product,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            String store) {
        String id = product.id();
        JoinSpec join = product.join();
        KStream<byte[], byte[]> left = side(builder, id, join.left(), registry);
        KStream<byte[], byte[]> right = side(builder, id, join.right(), registry);
        KStream<byte[], Joined> joined = left.join(
                right,
                Joined::new,
                JoinWindows.ofTimeDifferenceAndGrace(join.window(), Duration.ofMinutes(1)),
                StreamJoined.with(Serdes.ByteArray(), Serdes.ByteArray(), Serdes.ByteArray())
                        .withName(id + "-join")
                        .withStoreName(id + "-join"));
        ProcessorSupplier<byte[], Joined, byte[], byte[]> processor = () -> new JoinProcessor(
                () -> new ContractEnforcer(product, registry, masker),
                dedup,
                store,
                () -> AvroDecoder.generic(registry));
        return store == null
                ? joined.process(processor, Named.as(id + "-contract"))
                : joined.process(processor, Named.as(id + "-contract"), store);
    }

    private static KStream<byte[], byte[]> side(
            StreamsBuilder builder, String id, JoinSpec.Side side, SchemaRegistryClient registry) {
        KStream<byte[], byte[]> stream = builder.stream(
                side.topic(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(id + "-" + side.port() + "-source"));
        if (side.filterProgram() == null) {
            return stream;
        }
        CelRule filter =
                new CelRule(id + "-" + side.port() + "-filter", side.filter(), side.filterProgram(), Severity.ERROR);
        ThreadLocal<AvroDecoder> decoders = ThreadLocal.withInitial(() -> AvroDecoder.generic(registry));
        ThreadLocal<RuleContext> contexts = ThreadLocal.withInitial(() -> new RuleContext(CelEnvironment::view));
        return stream.filter(
                (k, v) -> {
                    // the source is a product topic: every value was encoded by the backbone itself
                    GenericRecord r = (GenericRecord) decoders.get().decode(v);
                    return filter.check(r, contexts.get().reset(r, System.currentTimeMillis())) == null;
                },
                Named.as(id + "-" + side.port() + "-filter"));
    }

    private static void addProduct(
            StreamsBuilder builder,
            DataProduct product,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup) {
        String id = product.id();
        String store = null;
        if (dedup == DedupMode.CHANGELOG && product.output().dedupField() != null) {
            store = id + "-dedup";
            Duration window = product.output().dedupWindow();
            builder.addStateStore(Stores.windowStoreBuilder(
                    Stores.persistentWindowStore(store, window.multipliedBy(2), window, false),
                    Serdes.String(),
                    Serdes.Long()));
        }
        String storeName = store;
        KStream<byte[], byte[]> routed = product.join() == null
                ? enforce(builder, product, registry, masker, dedup, storeName)
                : join(builder, product, registry, masker, dedup, storeName);
        // the contract processor forwards each record to one of these sinks by name
        routed.to(
                product.productTopic(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SinkNames.product(id)));
        routed.to(
                product.dlqTopic(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SinkNames.deadLetter(id)));
    }
}
