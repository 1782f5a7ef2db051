package io.backbone.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.dlq.DeadLetter;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RegistryMisconfiguredException;
import io.backbone.registry.RegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLetterProcessingExceptionHandlerTest {
    static final byte[] VALUE = "value".getBytes(StandardCharsets.UTF_8);

    static DeadLetterProcessingExceptionHandler handler() {
        DeadLetterProcessingExceptionHandler h = new DeadLetterProcessingExceptionHandler();
        List<DataProduct> products = ProductCatalog.shipped().products();
        h.configure(Map.of(
                DeadLetterProcessingExceptionHandler.PRODUCTS_CONFIG,
                products,
                DeadLetterProcessingExceptionHandler.MISCONFIGURED_PAUSE_MS_CONFIG,
                "0",
                "application.id",
                "backbone"));
        return h;
    }

    /** The context Kafka Streams hands the handler, for a record of {@code topic} failing in {@code node}. */
    static ErrorHandlerContext context(String topic, String node, Headers headers) {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return 2;
            }

            @Override
            public long offset() {
                return 41;
            }

            @Override
            public Headers headers() {
                return headers;
            }

            @Override
            public String processorNodeId() {
                return node;
            }

            @Override
            public TaskId taskId() {
                return new TaskId(3, 2);
            }

            @Override
            public long timestamp() {
                return 1_000L;
            }

            @Override
            public byte[] sourceRawKey() {
                return "key".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] sourceRawValue() {
                return VALUE;
            }
        };
    }

    @Test
    void anExceptionInAJoinProductsNodeGoesToThatProductsDlqNamingItsContract() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("backbone.contract.id", "forged".getBytes(StandardCharsets.UTF_8));

        Response r = handler()
                .handleError(
                        context("orders.product.orders.v1", NodeNames.joinInput("paid-orders", "orders"), headers),
                        null,
                        new IllegalStateException("boom"));

        assertThat(r.result()).isEqualTo(Result.RESUME);
        List<ProducerRecord<byte[], byte[]>> dead = r.deadLetterQueueRecords();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).topic()).isEqualTo("sales.dlq.paid-orders");
        assertThat(dead.get(0).value()).isEqualTo(VALUE);
        assertThat(DeadLetter.text(dead.get(0).headers(), DeadLetter.CONTRACT_ID))
                .isEqualTo("sales.product.paid-orders");
        assertThat(DeadLetter.text(dead.get(0).headers(), DeadLetter.CONTRACT_VERSION))
                .isNotBlank();
        assertThat(DeadLetter.text(dead.get(0).headers(), DeadLetter.EXCEPTION))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(DeadLetter.text(dead.get(0).headers(), DeadLetter.STACKTRACE))
                .contains("boom");
        assertThat(DeadLetter.text(dead.get(0).headers(), DeadLetter.ORIGINAL_TIMESTAMP))
                .isEqualTo("1000");
        assertThat(dead.get(0).headers().headers("backbone.contract.id")).hasSize(1);
    }

    @Test
    void aRawStreamsNodeUsesItsOwnDlq() {
        Response r = handler()
                .handleError(
                        context("orders.raw.order-events", NodeNames.contract("orders"), new RecordHeaders()),
                        null,
                        new IllegalStateException("boom"));

        assertThat(r.deadLetterQueueRecords().get(0).topic()).isEqualTo("orders.dlq.order-events");
        assertThat(DeadLetter.text(r.deadLetterQueueRecords().get(0).headers(), DeadLetter.CONTRACT_ID))
                .isEqualTo("orders.product.orders");
    }

    @Test
    void registryFaultsAreRetriedAndNeverDeadLettered() {
        for (Exception e : List.of(
                new RegistryUnavailableException("away", null),
                new RuntimeException(new RegistryMisconfiguredException(401, "GET /schemas/ids/1 was refused")))) {
            Response r = handler()
                    .handleError(
                            context("orders.raw.order-events", NodeNames.contract("orders"), new RecordHeaders()),
                            null,
                            e);

            assertThat(r.result()).as(e.toString()).isEqualTo(Result.FAIL);
            assertThat(r.deadLetterQueueRecords()).isEmpty();
        }
    }

    @Test
    void theLongestProductIdOwnsANode() {
        assertThat(NodeNames.productOf("paid-orders-left-input", List.of("orders", "paid-orders", "paid")))
                .isEqualTo("paid-orders");
        assertThat(NodeNames.productOf("unknown-node", List.of("orders"))).isNull();
    }
}
