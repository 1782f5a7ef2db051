package io.backbone.topology;

import io.backbone.contract.Masker;
import io.backbone.product.DataProduct;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.topology.internals.ContractEnforcer;
import io.backbone.topology.internals.ContractProcessor;
import io.backbone.topology.internals.Routed;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
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
            boolean dedup) {
        for (DataProduct product : products) {
            addProduct(builder, product, registry, masker, dedup);
        }
    }

    public static Topology topology(
            List<DataProduct> products, SchemaRegistryClient registry, Masker masker, boolean dedup) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, products, registry, masker, dedup);
        return builder.build();
    }

    private static void addProduct(
            StreamsBuilder builder, DataProduct product, SchemaRegistryClient registry, Masker masker, boolean dedup) {
        String id = product.id();
        String store = null;
        if (dedup && product.output().dedupField() != null) {
            store = id + "-dedup";
            Duration window = product.output().dedupWindow();
            builder.addStateStore(Stores.windowStoreBuilder(
                    Stores.persistentWindowStore(store, window.multipliedBy(2), window, false),
                    Serdes.String(),
                    Serdes.Long()));
        }
        KStream<byte[], byte[]> raw = builder.stream(
                product.rawTopic(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(id + "-source"));
        String storeName = store;
        KStream<byte[], Routed> routed = storeName == null
                ? raw.process(
                        () -> new ContractProcessor(() -> new ContractEnforcer(product, registry, masker), null),
                        Named.as(id + "-contract"))
                : raw.process(
                        () -> new ContractProcessor(() -> new ContractEnforcer(product, registry, masker), storeName),
                        Named.as(id + "-contract"),
                        storeName);
        routed.split(Named.as(id + "-"))
                .branch(
                        (k, v) -> v.valid(),
                        Branched.withConsumer(
                                valid -> valid.mapValues(Routed::value, Named.as(id + "-product-value"))
                                        .to(
                                                product.productTopic(),
                                                Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                                        .withName(id + "-product-sink")),
                                "valid"))
                .defaultBranch(Branched.withConsumer(
                        dlq -> dlq.mapValues(Routed::value, Named.as(id + "-dlq-value"))
                                .to(
                                        product.dlqTopic(),
                                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                                .withName(id + "-dlq-sink")),
                        "dlq"));
    }
}
