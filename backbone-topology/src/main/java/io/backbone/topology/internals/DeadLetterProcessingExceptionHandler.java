package io.backbone.topology.internals;

import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import io.backbone.dlq.DeadLetter;
import io.backbone.product.DataProduct;
import io.backbone.registry.RegistryMisconfiguredException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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
 * (registry or broker unreachable) fails the task so that the record is retried from its committed offset; so does a
 * registry that refuses us or is not a registry (an operator's fault: the record is good), after a pause and with one
 * line that says what is wrong. Any other exception sends the original record to the DLQ of the product whose node
 * failed (a raw stream's or a join product's), naming its contract, with the exception in the standard headers.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {
    /** The {@code List<DataProduct>} the application runs, passed in the Kafka Streams configuration. */
    public static final String PRODUCTS_CONFIG = "backbone.internal.products";
    /** How long a task pauses before it retries a record the registry refused us for, in ms. */
    public static final String MISCONFIGURED_PAUSE_MS_CONFIG = "backbone.registry.misconfigured.pause.ms";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);
    private static final long REPORT_EVERY_MS = 60_000;
    /** When each kind of registry fault (by HTTP status) was last reported: one line a minute for each. */
    private static final Map<Integer, AtomicLong> LAST_REPORT = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<String, DataProduct> products = new LinkedHashMap<>();
    private String instance = DeadLetter.instance("backbone");
    private long pauseMillis = 5_000;

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(PRODUCTS_CONFIG) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof DataProduct p) {
                    products.put(p.id(), p);
                }
            }
        }
        Object applicationId = configs.get("application.id");
        if (applicationId != null) {
            instance = DeadLetter.instance(applicationId.toString());
        }
        Object pause = configs.get(MISCONFIGURED_PAUSE_MS_CONFIG);
        if (pause != null) {
            pauseMillis = Long.parseLong(pause.toString());
        }
    }

    /** A log event that carries the record's topic, partition and offset as fields (for --log-format json). */
    private static org.slf4j.spi.LoggingEventBuilder at(org.slf4j.event.Level level, ErrorHandlerContext context) {
        return LOG.atLevel(level)
                .addKeyValue("topic", context.topic())
                .addKeyValue("partition", context.partition())
                .addKeyValue("offset", context.offset());
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String where = context.topic() + "-" + context.partition() + "@" + context.offset();
        if (Causes.has(exception, RegistryMisconfiguredException.class)) {
            long now = System.currentTimeMillis();
            AtomicLong reported = LAST_REPORT.computeIfAbsent(
                    Causes.find(exception, RegistryMisconfiguredException.class).status(), s -> new AtomicLong());
            long last = reported.get();
            if (now - last >= REPORT_EVERY_MS && reported.compareAndSet(last, now)) {
                at(org.slf4j.event.Level.ERROR, context)
                        .log(
                                "Paused at {}: {}; no record is dead-lettered for it, processing retries every {} ms until"
                                        + " it is fixed",
                                where,
                                Causes.find(exception, RegistryMisconfiguredException.class)
                                        .getMessage(),
                                pauseMillis);
            }
            pause();
            return Response.fail();
        }
        if (Causes.has(exception, RetriableException.class)) {
            at(org.slf4j.event.Level.WARN, context)
                    .log(
                            "Transient failure on {} in {}: {}; the task restarts and retries the record",
                            where,
                            context.processorNodeId(),
                            exception.toString());
            return Response.fail();
        }
        String productId = NodeNames.productOf(context.processorNodeId(), products.keySet());
        DataProduct product = productId == null ? null : products.get(productId);
        if (product == null) {
            at(org.slf4j.event.Level.ERROR, context)
                    .log(
                            "Unexpected failure on {} in {}, which belongs to no product of this application; stopping",
                            where,
                            context.processorNodeId(),
                            exception);
            return Response.fail();
        }
        at(org.slf4j.event.Level.ERROR, context)
                .addKeyValue("product", product.id())
                .log(
                        "Unexpected failure on {} in {}; record sent to {}",
                        where,
                        context.processorNodeId(),
                        product.dlqTopic(),
                        exception);
        RecordHeaders headers = new RecordHeaders(context.headers().toArray());
        DeadLetter.dropReserved(headers);
        DeadLetter.annotate(
                headers,
                product.id(),
                product.output().id(),
                product.output().version(),
                Stage.TRANSFORM,
                List.of(new Violation(
                        "unexpected.exception", "", exception.toString(), Severity.ERROR, Stage.TRANSFORM)),
                exception.getClass().getName(),
                context.topic(),
                context.partition(),
                context.offset());
        DeadLetter.exception(headers, exception);
        DeadLetter.failedAt(headers, context.timestamp(), instance);
        // no timestamp: the producer stamps the time of failure, so the DLQ's retention counts from then
        return Response.resume(List.of(new ProducerRecord<>(
                product.dlqTopic(), null, context.sourceRawKey(), context.sourceRawValue(), headers)));
    }

    private void pause() {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
