package io.backbone.contract;

import java.util.Map;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;

/**
 * What rules of one record share: the record's CEL view, built once and only if a CEL rule asks for it, and the
 * processing time.
 */
public final class RuleContext {
    private final Function<GenericRecord, Map<String, Object>> celView;
    private GenericRecord record;
    private Map<String, Object> view;
    private long nowMillis;

    public RuleContext(Function<GenericRecord, Map<String, Object>> celView) {
        this.celView = celView;
    }

    /** Readies the context for {@code record}; contexts are reused record after record. */
    public RuleContext reset(GenericRecord record, long nowMillis) {
        this.record = record;
        this.view = null;
        this.nowMillis = nowMillis;
        return this;
    }

    public Map<String, Object> celView() {
        if (view == null) {
            view = celView.apply(record);
        }
        return view;
    }

    public long nowMillis() {
        return nowMillis;
    }
}
