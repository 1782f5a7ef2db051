package io.backbone.topology.internals;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Every live major of one product (products reading one raw topic under one raw contract), fed from one decode: the
 * raw record is decoded and corrected by the raw contract once, then each major (a lane) checks, deduplicates,
 * masks and encodes it with its own contract, DLQ and counters, in the same task and so the same transaction.
 *
 * <p>Lanes run in order: the mapped majors first, which read the raw record and build their own (copying nested
 * records), and last the one major that works on the raw record in place (its corrections and masks change it).
 * Each lane gets its own copy of the headers, since a lane adds its verdict's headers to them.
 */
public final class SharedInputProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final List<ContractProcessor> lanes;
    private ProcessorContext<byte[], byte[]> context;

    public SharedInputProcessor(List<ContractProcessor> lanes) {
        if (lanes.size() < 2) {
            throw new IllegalArgumentException("a shared input needs two lanes or more, got " + lanes.size());
        }
        this.lanes = List.copyOf(lanes);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        for (ContractProcessor lane : lanes) {
            lane.init(context);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        ContractEnforcer first = lanes.get(0).enforcer;
        Enforcement decoded = first.decode(record.value());
        int last = lanes.size() - 1;
        if (!decoded.ok()) {
            for (int i = 0; i <= last; i++) {
                lanes.get(i).route(own(record, i == last), decoded);
            }
            return;
        }
        GenericRecord value = decoded.record();
        List<String> rawCorrected = first.correctInput(value);
        long now = context.currentSystemTimeMs();
        for (int i = 0; i <= last; i++) {
            ContractProcessor lane = lanes.get(i);
            List<String> corrected = rawCorrected == null ? null : new ArrayList<>(rawCorrected);
            lane.route(own(record, i == last), lane.enforcer.checkCorrected(value, corrected, now));
        }
    }

    /** {@code record} with headers of its own, except for the last lane, which takes the originals. */
    private static Record<byte[], byte[]> own(Record<byte[], byte[]> record, boolean last) {
        return last
                ? record
                : record.withHeaders(new RecordHeaders(record.headers().toArray()));
    }

    @Override
    public void close() {
        for (ContractProcessor lane : lanes) {
            lane.close();
        }
    }
}
