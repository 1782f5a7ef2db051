package io.backbone.topology;

import io.backbone.contract.Masker;
import io.backbone.contract.Severity;
import io.backbone.contract.rules.CelRule;
import io.backbone.product.DataProduct;
import io.backbone.product.JoinSpec;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.dedup.ProductHistory;
import io.backbone.topology.internals.ContractEnforcer;
import io.backbone.topology.internals.ContractProcessor;
import io.backbone.topology.internals.JoinInputProcessor;
import io.backbone.topology.internals.JoinProcessor;
import io.backbone.topology.internals.Joined;
import io.backbone.topology.internals.NodeNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Adds every product to {@code builder}; pure (no I/O happens until the topology runs). {@code history} is
     * where tasks in dedup mode {@code product-topic} read their product topic from when they start.
     */
    public static void build(
            StreamsBuilder builder,
            List<DataProduct> products,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            ProductHistory history) {
        // one source per raw topic: several products may read the same raw stream (an event and an entity product)
        Map<String, KStream<byte[], byte[]>> sources = new HashMap<>();
        for (DataProduct product : products) {
            addProduct(builder, sources, product, registry, masker, dedup, history);
        }
    }

    public static Topology topology(
            List<DataProduct> products, SchemaRegistryClient registry, Masker masker, DedupMode dedup) {
        return topology(products, registry, masker, dedup, ProductHistory.kafka());
    }

    public static Topology topology(
            List<DataProduct> products,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            ProductHistory history) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, products, registry, masker, dedup, history);
        return builder.build();
    }

    private static KStream<byte[], byte[]> enforce(
            StreamsBuilder builder,
            Map<String, KStream<byte[], byte[]>> sources,
            DataProduct product,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            ProductHistory history,
            String store) {
        String id = product.id();
        KStream<byte[], byte[]> raw = sources.computeIfAbsent(
                product.rawTopic(),
                topic -> builder.stream(
                        topic,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(NodeNames.source(id))));
        ProcessorSupplier<byte[], byte[], byte[], byte[]> processor = () ->
                new ContractProcessor(() -> new ContractEnforcer(product, registry, masker), dedup, history, store);
        return store == null
                ? raw.process(processor, Named.as(NodeNames.contract(id)))
                : raw.process(processor, Named.as(NodeNames.contract(id)), store);
    }

    /** Both sides filtered by their CEL filters, joined by key within the window, then built and enforced. */
    private static KStream<byte[], byte[]> join(
            StreamsBuilder builder,
            DataProduct product,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            ProductHistory history,
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
                        .withName(NodeNames.join(id))
                        .withStoreName(NodeNames.join(id)));
        ProcessorSupplier<byte[], Joined, byte[], byte[]> processor = () -> new JoinProcessor(
                () -> new ContractEnforcer(product, registry, masker),
                dedup,
                history,
                store,
                () -> AvroDecoder.generic(registry));
        return store == null
                ? joined.process(processor, Named.as(NodeNames.contract(id)))
                : joined.process(processor, Named.as(NodeNames.contract(id)), store);
    }

    private static KStream<byte[], byte[]> side(
            StreamsBuilder builder, String id, JoinSpec.Side side, SchemaRegistryClient registry) {
        KStream<byte[], byte[]> stream = builder.stream(
                side.topic(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(NodeNames.joinSource(id, side.port())));
        CelRule filter = side.filterProgram() == null
                ? null
                : new CelRule(id + "-" + side.port() + "-filter", side.filter(), side.filterProgram(), Severity.ERROR);
        return stream.process(
                () -> new JoinInputProcessor(id, filter, () -> AvroDecoder.generic(registry)),
                Named.as(NodeNames.joinInput(id, side.port())));
    }

    private static void addProduct(
            StreamsBuilder builder,
            Map<String, KStream<byte[], byte[]>> sources,
            DataProduct product,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            ProductHistory history) {
        String id = product.id();
        String store = null;
        if (dedup == DedupMode.CHANGELOG && product.dedupField() != null) {
            store = id + "-dedup";
            Duration window = product.dedupWindow();
            builder.addStateStore(Stores.windowStoreBuilder(
                    Stores.persistentWindowStore(store, window.multipliedBy(2), window, false),
                    Serdes.String(),
                    Serdes.Long()));
        }
        String storeName = store;
        KStream<byte[], byte[]> routed = product.join() == null
                ? enforce(builder, sources, product, registry, masker, dedup, history, storeName)
                : join(builder, product, registry, masker, dedup, history, storeName);
        // the contract processor forwards each record to one of these sinks by name
        routed.to(
                product.productTopic(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(NodeNames.product(id)));
        routed.to(
                product.dlqTopic(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(NodeNames.deadLetter(id)));
    }
}
