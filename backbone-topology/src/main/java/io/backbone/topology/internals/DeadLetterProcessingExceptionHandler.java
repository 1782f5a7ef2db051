package io.backbone.topology.internals;

import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import io.backbone.dlq.DeadLetter;
import io.backbone.product.TopicNames;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' processing exception handler for what the contract step did not expect. A transient fault
 * (registry or broker unreachable) fails the task so that the record is retried from its committed offset; any other
 * exception sends the original record to its stream's DLQ, with the exception in the standard headers, and goes on.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (isTransient(exception)) {
            LOG.warn(
                    "Transient failure on {}-{}@{} in {}: {}; the task restarts and retries the record",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    context.processorNodeId(),
                    exception.toString());
            return Response.fail();
        }
        String dlq;
        try {
            dlq = TopicNames.dlqFor(context.topic());
        } catch (IllegalArgumentException notRaw) {
            LOG.error(
                    "Unexpected failure on {}-{}@{}, which has no DLQ; stopping",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception);
            return Response.fail();
        }
        LOG.error(
                "Unexpected failure on {}-{}@{} in {}; record sent to {}",
                context.topic(),
                context.partition(),
                context.offset(),
                context.processorNodeId(),
                dlq,
                exception);
        RecordHeaders headers = new RecordHeaders(context.headers().toArray());
        DeadLetter.annotate(
                headers,
                context.processorNodeId().replaceFirst("-contract$", ""),
                "",
                "",
                Stage.TRANSFORM,
                List.of(new Violation(
                        "unexpected.exception", "", exception.toString(), Severity.ERROR, Stage.TRANSFORM)),
                exception.getClass().getName(),
                context.topic(),
                context.partition(),
                context.offset());
        DeadLetter.exception(headers, exception);
        return Response.resume(
                List.of(new ProducerRecord<>(dlq, null, context.sourceRawKey(), context.sourceRawValue(), headers)));
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
