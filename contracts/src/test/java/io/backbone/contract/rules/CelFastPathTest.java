package io.backbone.contract.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/**
 * The fast path must never answer differently from CEL's interpreter: every expression below is evaluated both ways
 * on random records full of edge values (overflows, NaN, absent optionals, empty lists, non-BMP strings), and
 * wherever the fast path answers, the interpreter must give the same value.
 */
class CelFastPathTest {
    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"T","namespace":"t","fields":[
              {"name":"i","type":"int"},
              {"name":"j","type":"long"},
              {"name":"d","type":"double"},
              {"name":"f","type":"float"},
              {"name":"name","type":"string"},
              {"name":"flag","type":"boolean"},
              {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B","C"]}},
              {"name":"opt","type":["null","long"],"default":null},
              {"name":"optName","type":["null","string"],"default":null},
              {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"tags","type":{"type":"array","items":"string"}},
              {"name":"m","type":{"type":"map","values":"string"}},
              {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line","fields":[
                {"name":"q","type":"int"},{"name":"p","type":"long"},{"name":"sku","type":"string"},
                {"name":"note","type":["null","string"],"default":null},
                {"name":"parts","type":{"type":"array","items":"string"}}]}}},
              {"name":"inner","type":["null",{"type":"record","name":"Inner","fields":[
                {"name":"v","type":"long"}]}],"default":null}
            ]}""");

    /** Expressions the fast path compiles; each must take it on at least some records. */
    static final List<String> COMPILED = List.of(
            "record.j == sum(record.lines.map(l, l.q * l.p))",
            "record.kind != 'A' || record.lines.size() > 0",
            "record.at <= nowMillis + 300000",
            "record.i + record.j > 0",
            "record.j - record.i < 100",
            "record.j * record.i >= 0",
            "record.j / record.i == 1",
            "record.j % record.i == 0",
            "-record.j < 0",
            "has(record.opt) && record.opt > 3",
            "record.opt > 3",
            "record.opt > 3 || true",
            "true || record.opt > 3",
            "record.opt > 3 && false",
            "false && record.opt > 3",
            "!has(record.optName) || record.optName.startsWith('x')",
            "record.lines.all(l, l.q > 0)",
            "record.lines.all(l, l.note.size() > 1)",
            "record.lines.exists(l, l.p > 5)",
            "record.lines.exists(l, l.note == 'n')",
            "record.lines.exists_one(l, l.q == 1)",
            "record.lines.filter(l, l.q > 1).size() >= 1",
            "record.lines.map(l, l.q).filter(q, q > 1).size() == record.lines.size()",
            "record.lines.all(l, l.parts.all(p, size(p) > 0))",
            "record.lines.all(l, l.parts.exists(p, p == l.sku))",
            "size(record.name) == 3",
            "record.name.size() > 2",
            "record.name.endsWith('a') || record.name.contains('é')",
            "record.d == 1.0",
            "record.d > record.f",
            "record.d < 0.5",
            "record.d / 0.0 > 1.0",
            "record.d * 2.0 - record.f != 3.5",
            "record.d + 1.0 >= record.d",
            "record.tags[0] == 'a'",
            "record.tags.size() == 0 || record.tags[0] != ''",
            "record.name in ['abc', 'xy', 'é']",
            "record.kind in ['A', 'B']",
            "record.i in [1, 2.0, 3]",
            "record.m.k == 'v'",
            "has(record.m.k)",
            "record.m['k'] == 'v'",
            "record.m.size() > 1",
            "record.flag ? record.i > 0 : record.i < 0",
            "[record.i, record.j].exists(x, x > 3)",
            "record.name + '!' == 'abc!'",
            "record.tags + ['z'] == ['a', 'z']",
            "has(record.inner) && record.inner.v > 0",
            "record.inner.v > 0",
            "dyn(record.j) > 3",
            "record.lines.map(l, l.p * 2.0).size() >= 0",
            "sum(record.lines.map(l, l.p)) > 0 || sum(record.tags.map(t, size(t))) > 1");

    /** Shapes the fast path leaves to the interpreter (at compile time, or because operand types differ). */
    static final List<String> INTERPRETED = List.of(
            "record.name.matches('^a.*')",
            "record.i == 1.0",
            "record.i == record.d",
            "int(record.d) > 1",
            "record.name < 'm'",
            "{'a': 1}.a == 1");

    private final Random random = new Random(20261124L);

    @Test
    void answersExactlyLikeTheInterpreterWheneverItAnswers() throws Exception {
        List<GenericRecord> records = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            records.add(randomRecord());
        }
        Map<String, Integer> fastAnswers = new HashMap<>();
        for (String source : COMPILED) {
            CelExpression e = CelEnvironment.compile(source, SCHEMA);
            assertThat(e.compiled()).as("%s compiles to the fast path", source).isTrue();
            for (GenericRecord r : records) {
                long now = 1_700_000_000_000L;
                Optional<Object> fast = e.fastOnly(new RecordView(r), now);
                if (fast.isEmpty()) {
                    continue;
                }
                fastAnswers.merge(source, 1, Integer::sum);
                Object reference;
                try {
                    reference = e.interpret(new RecordView(r), now);
                } catch (CelEvaluationException ex) {
                    fail("%s: fast path answered %s where the interpreter fails (%s) on %s", source, fast.get(), ex, r);
                    return;
                }
                assertThat(fast.get()).as("%s on %s", source, r).isEqualTo(reference);
                assertThat(e.eval(new RecordView(r), now)).isEqualTo(reference);
            }
        }
        for (String source : COMPILED) {
            assertThat(fastAnswers.getOrDefault(source, 0))
                    .as("records on which the fast path answered %s", source)
                    .isGreaterThan(0);
        }
    }

    @Test
    void fallsBackToTheInterpreterForTheRest() throws Exception {
        GenericRecord r = randomRecord();
        r.put("name", "abc");
        r.put("d", 2.5);
        for (String source : INTERPRETED) {
            CelExpression e = CelEnvironment.compile(source, SCHEMA);
            assertThat(e.fastOnly(new RecordView(r), 0L)).as(source).isEmpty();
            assertThat(e.eval(new RecordView(r), 0L)).as(source).isEqualTo(e.interpret(new RecordView(r), 0L));
        }
        CelExpression overflow = CelEnvironment.compile("record.j + record.j > 0", SCHEMA);
        r.put("j", Long.MAX_VALUE);
        assertThat(overflow.fastOnly(new RecordView(r), 0L)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> overflow.eval(new RecordView(r), 0L))
                .isInstanceOf(CelEvaluationException.class)
                .hasMessageContaining("overflow");
    }

    private GenericRecord randomRecord() {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("i", pick(0, 1, -1, 3, 7, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt(100)));
        r.put("j", pick(0L, 1L, -1L, 3L, 42L, Long.MAX_VALUE, Long.MIN_VALUE, (long) random.nextInt(1000)));
        r.put("d", pick(0.0, -0.0, 1.0, 0.25, Double.NaN, Double.POSITIVE_INFINITY, -3.5, random.nextDouble()));
        r.put("f", pick(0.0f, 1.5f, Float.NaN, -2.0f, 0.25f));
        Object name = pick("abc", "xy", "é", "a\uD83D\uDE00a", "", "zzza", "xylophone");
        r.put("name", random.nextBoolean() ? new Utf8(name.toString()) : name);
        r.put("flag", random.nextBoolean());
        r.put("kind", new GenericData.EnumSymbol(SCHEMA.getField("kind").schema(), pick("A", "B", "C")));
        r.put("opt", random.nextInt(3) == 0 ? null : pick(0L, 3L, 4L, Long.MAX_VALUE));
        r.put("optName", random.nextInt(3) == 0 ? null : pick("x1", "y", "xx"));
        r.put("at", pick(1_700_000_000_000L, 1_700_000_400_000L, 0L, Long.MAX_VALUE));
        List<Object> tags = new ArrayList<>();
        int tagCount = random.nextInt(3);
        for (int t = 0; t < tagCount; t++) {
            tags.add(new Utf8(pick("a", "z", "", "bb").toString()));
        }
        r.put("tags", tags);
        Map<Object, Object> m = new HashMap<>();
        if (random.nextBoolean()) {
            m.put(new Utf8("k"), new Utf8(pick("v", "w").toString()));
        }
        if (random.nextBoolean()) {
            m.put(new Utf8("other"), new Utf8("o"));
        }
        r.put("m", m);
        Schema lineSchema = SCHEMA.getField("lines").schema().getElementType();
        List<GenericRecord> lines = new ArrayList<>();
        int lineCount = random.nextInt(4);
        for (int l = 0; l < lineCount; l++) {
            GenericRecord line = new GenericData.Record(lineSchema);
            line.put("q", pick(1, 2, 0, -1, Integer.MAX_VALUE));
            line.put("p", pick(1L, 10L, 0L, Long.MAX_VALUE, 7L));
            line.put("sku", new Utf8(pick("s", "a", "").toString()));
            line.put(
                    "note",
                    random.nextBoolean() ? null : new Utf8(pick("n", "note").toString()));
            List<Object> parts = new ArrayList<>();
            int partCount = random.nextInt(3);
            for (int p = 0; p < partCount; p++) {
                parts.add(new Utf8(pick("s", "", "q").toString()));
            }
            line.put("parts", parts);
            lines.add(line);
        }
        r.put("lines", lines);
        if (random.nextBoolean()) {
            GenericRecord inner = new GenericData.Record(
                    SCHEMA.getField("inner").schema().getTypes().get(1));
            inner.put("v", pick(0L, 5L, -5L));
            r.put("inner", inner);
        }
        return r;
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
