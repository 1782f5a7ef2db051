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
import io.backbone.topology.internals.SharedInputProcessor;
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
        build(builder, products, registry, masker, dedup, history, true);
    }

    /**
     * As {@link #build(StreamsBuilder, List, SchemaRegistryClient, Masker, DedupMode, ProductHistory)}; without
     * {@code shareDecode} every major of a product decodes on its own (for measuring what sharing saves).
     */
    public static void build(
            StreamsBuilder builder,
            List<DataProduct> products,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            ProductHistory history,
            boolean shareDecode) {
        // one source per raw topic: several products may read the same raw stream (an event and an entity product)
        Map<String, KStream<byte[], byte[]>> sources = new HashMap<>();
        List<List<DataProduct>> groups = shareDecode
                ? sharedInputs(products)
                : products.stream().map(List::of).toList();
        for (List<DataProduct> lanes : groups) {
            if (lanes.size() == 1) {
                addProduct(builder, sources, lanes.get(0), registry, masker, dedup, history);
            } else {
                addShared(builder, sources, lanes, registry, masker, dedup, history);
            }
        }
    }

    /**
     * The products in groups that share one decode: the majors of one product (same raw topic, same raw contract)
     * whose mapped majors come first and which end with at most one major that works on the raw record in place (an
     * identity or entity product). Every other product is a group of its own. Groups keep the catalog's order.
     */
    static List<List<DataProduct>> sharedInputs(List<DataProduct> products) {
        Map<String, List<DataProduct>> groups = new java.util.LinkedHashMap<>();
        List<List<DataProduct>> alone = new java.util.ArrayList<>();
        Map<String, Integer> order = new HashMap<>();
        for (DataProduct product : products) {
            if (product.join() != null) {
                order.put("#" + product.id(), order.size());
                alone.add(List.of(product));
                continue;
            }
            String key = product.rawTopic() + "|" + product.input().id() + "|"
                    + product.input().version();
            order.putIfAbsent(key, order.size());
            groups.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(product);
        }
        List<Map.Entry<Integer, List<DataProduct>>> all = new java.util.ArrayList<>();
        for (List<DataProduct> single : alone) {
            all.add(Map.entry(order.get("#" + single.get(0).id()), single));
        }
        groups.forEach((key, group) -> {
            List<DataProduct> lanes = new java.util.ArrayList<>();
            DataProduct inPlace = null;
            for (DataProduct p : group) {
                if (p.isMapped()) {
                    lanes.add(p);
                } else if (inPlace == null) {
                    inPlace = p;
                } else {
                    all.add(Map.entry(order.get(key), List.of(p))); // a second in-place product decodes on its own
                }
            }
            if (inPlace != null) {
                lanes.add(inPlace);
            }
            all.add(Map.entry(order.get(key), lanes));
        });
        all.sort(Map.Entry.comparingByKey());
        return all.stream().map(Map.Entry::getValue).toList();
    }

    /** One processor for several majors of one raw stream: decoded once, each lane to its own sinks. */
    private static void addShared(
            StreamsBuilder builder,
            Map<String, KStream<byte[], byte[]>> sources,
            List<DataProduct> lanes,
            SchemaRegistryClient registry,
            Masker masker,
            DedupMode dedup,
            ProductHistory history) {
        DataProduct named = lanes.get(lanes.size() - 1);
        KStream<byte[], byte[]> raw = sources.computeIfAbsent(
                named.rawTopic(),
                topic -> builder.stream(
                        topic,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(NodeNames.source(named.id()))));
        List<String> stores = new java.util.ArrayList<>();
        Map<String, String> storeOf = new HashMap<>();
        for (DataProduct product : lanes) {
            String store = dedupStore(builder, product, dedup);
            if (store != null) {
                stores.add(store);
            }
            storeOf.put(product.id(), store);
        }
        ProcessorSupplier<byte[], byte[], byte[], byte[]> processor = () -> new SharedInputProcessor(lanes.stream()
                .map(p -> new ContractProcessor(
                        () -> new ContractEnforcer(p, registry, masker), dedup, history, storeOf.get(p.id())))
                .toList());
        KStream<byte[], byte[]> routed =
                raw.process(processor, Named.as(NodeNames.contract(named.id())), stores.toArray(String[]::new));
        for (DataProduct product : lanes) {
            sinks(routed, product);
        }
    }

    /** The dedup store of {@code product} in mode changelog, added to {@code builder}; null when it has none. */
    private static String dedupStore(StreamsBuilder builder, DataProduct product, DedupMode dedup) {
        if (dedup != DedupMode.CHANGELOG || product.dedupField() == null) {
            return null;
        }
        String store = product.id() + "-dedup";
        Duration window = product.dedupWindow();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(store, window.multipliedBy(2), window, false),
                Serdes.String(),
                Serdes.Long()));
        return store;
    }

    /** The product's two sinks: the contract processor forwards each record to one of them by name. */
    private static void sinks(KStream<byte[], byte[]> routed, DataProduct product) {
        routed.to(
                product.productTopic(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(NodeNames.product(product.id())));
        routed.to(
                product.dlqTopic(),
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(NodeNames.deadLetter(product.id())));
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
        String store = dedupStore(builder, product, dedup);
        KStream<byte[], byte[]> routed = product.join() == null
                ? enforce(builder, sources, product, registry, masker, dedup, history, store)
                : join(builder, product, registry, masker, dedup, history, store);
        sinks(routed, product);
    }
}
