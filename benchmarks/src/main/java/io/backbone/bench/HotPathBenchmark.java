package io.backbone.bench;

import io.backbone.catalog.CatalogSource;
import io.backbone.contract.Masker;
import io.backbone.contract.RecordRule;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Violation;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.CelRule;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import io.backbone.producer.orders.OrdersService;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.AvroEncoder;
import io.backbone.serde.ConfluentAvroSerializer;
import io.backbone.topology.internals.ContractEnforcer;
import io.backbone.topology.internals.Enforcement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The backbone's per-record steps on a realistic order and the benchmark contract (the orders product with a PII
 * hash): decode, built-in rules, CEL rules, all rules, masking, encode. Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {
    EmbeddedSchemaRegistry registry;
    AvroDecoder decoder;
    AvroEncoder encoder;
    DataProduct product;
    ContractEnforcer enforcer;
    Masker masker;
    byte[] framed;
    GenericRecord record;
    int schemaId;
    List<RecordRule> builtIn = new ArrayList<>();
    List<RecordRule> cel = new ArrayList<>();
    RuleContext context = new RuleContext(CelEnvironment::view);

    @Setup(Level.Trial)
    public void setUp() {
        registry = EmbeddedSchemaRegistry.builder().start();
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(registry.url()));
        product = ProductCatalog.load(CatalogSource.classpath("bench-catalog")).product("orders");
        OrderEvent order = OrdersService.place("ord-00000001", "cus-000042", new Random(7), Instant.now());
        ConfluentAvroSerializer<OrderEvent> serializer = new ConfluentAvroSerializer<>(client);
        serializer.configure(java.util.Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
        framed = serializer.serialize(product.rawTopic(), order);
        decoder = AvroDecoder.generic(client, product.input().schema());
        encoder = new AvroEncoder();
        masker = new Masker("benchmark-secret-not-for-production".getBytes(StandardCharsets.UTF_8));
        enforcer = new ContractEnforcer(product, client, masker);
        record = (GenericRecord) decoder.decode(framed);
        schemaId = client.register(
                product.productTopic() + "-value", product.output().schema());
        for (RecordRule r : product.input().rules()) {
            (r instanceof CelRule ? cel : builtIn).add(r);
        }
        for (RecordRule r : product.output().rules()) {
            (r instanceof CelRule ? cel : builtIn).add(r);
        }
        if (enforcer.checkRecord(record, System.currentTimeMillis()).stage() != null) {
            throw new IllegalStateException("the benchmark record must pass its contract");
        }
        setUpCorrections();
    }

    byte[] dirtyFramed;
    List<io.backbone.contract.Correction> corrections = new ArrayList<>();
    io.backbone.contract.normalise.Normaliser phone = io.backbone.contract.normalise.Normaliser.compile(
            List.of("phone-e164"), java.util.Map.of("phoneRegion", "DE"));
    io.backbone.contract.normalise.Normaliser email = io.backbone.contract.normalise.Normaliser.compile(
            List.of("trim", "email"), java.util.Map.of("emailLocalPart", "lower"));

    /** Called at the end of {@link #setUp}: needs its registry and product. */
    void setUpCorrections() {
        corrections.addAll(product.input().corrections());
        corrections.addAll(product.output().corrections());
        if (corrections.isEmpty()) {
            throw new IllegalStateException("the benchmark contract declares corrections");
        }
        OrderEvent order = OrdersService.place("ord-00000002", " cus-000042 ", new Random(7), Instant.now());
        order.setCurrency(" eur ");
        ConfluentAvroSerializer<OrderEvent> serializer = new ConfluentAvroSerializer<>(
                new RestSchemaRegistryClient(RegistryClientConfig.forUrl(registry.url())));
        serializer.configure(java.util.Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
        dirtyFramed = serializer.serialize(product.rawTopic(), order);
    }

    /** The benchmark contract's corrections on a clean record: what every record pays when nothing needs fixing. */
    @Benchmark
    public boolean normaliseClean() {
        boolean changed = false;
        for (int i = 0; i < corrections.size(); i++) {
            changed |= corrections.get(i).apply(record);
        }
        return changed;
    }

    /** Decoding a record whose customer id and currency need correcting, then correcting them (minus decode). */
    @Benchmark
    public Object decodeAndNormaliseDirty() {
        GenericRecord dirty = (GenericRecord) decoder.decode(dirtyFramed);
        for (int i = 0; i < corrections.size(); i++) {
            corrections.get(i).apply(dirty);
        }
        return dirty;
    }

    String[] nationals = new Random(5)
            .ints(100_000, 2_000_000, 9_999_999)
            .mapToObj(n -> "030 " + n)
            .toArray(String[]::new);
    int next;

    /** libphonenumber on a national number seen for the first time (parse, validate, format): the dearest normaliser. */
    @Benchmark
    public String phoneNationalNew() {
        next = (next + 1) % nationals.length;
        return phone.apply(nationals[next]);
    }

    /** The same number again (a customer's number recurs with each event about them): answered from recent ones. */
    @Benchmark
    public String phoneNationalRecurring() {
        return phone.apply("030 1234567");
    }

    /** A mixed-case e-mail address lower-cased whole. */
    @Benchmark
    public String emailMixedCase() {
        return email.apply("Anna.Berg@Shop.DE");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public Object decode() {
        return decoder.decode(framed);
    }

    @Benchmark
    public void builtInRules(Blackhole bh) {
        context.reset(record, 0);
        for (RecordRule r : builtIn) {
            bh.consume(r.check(record, context));
        }
    }

    @Benchmark
    public void celRules(Blackhole bh) {
        context.reset(record, System.currentTimeMillis());
        for (RecordRule r : cel) {
            bh.consume(r.check(record, context));
        }
    }

    @Benchmark
    public Enforcement allRules() {
        return enforcer.checkRecord(record, System.currentTimeMillis());
    }

    /** The same as {@link #allRules}, sampled per call: JMH reports the median (p0.50) the target is about. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Enforcement allRulesSampled() {
        return enforcer.checkRecord(record, System.currentTimeMillis());
    }

    @Benchmark
    public String pseudonym() {
        return masker.hash("cus-000042");
    }

    @Benchmark
    public Object mask() {
        GenericRecord copy = GenericData.get().deepCopy(record.getSchema(), record);
        masker.apply(copy, product.output().masks());
        return copy;
    }

    @Benchmark
    public Object copyOnly() {
        return GenericData.get().deepCopy(record.getSchema(), record);
    }

    @Benchmark
    public byte[] encode() {
        return encoder.encode(schemaId, product.output().schema(), record);
    }

    @Benchmark
    public Violation singleCelRule() {
        context.reset(record, System.currentTimeMillis());
        return cel.get(0).check(record, context);
    }
}
