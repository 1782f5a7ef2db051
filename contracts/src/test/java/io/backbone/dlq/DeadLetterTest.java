package io.backbone.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.contract.ContractViolationException;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    static final List<Violation> VIOLATIONS =
            List.of(new Violation("amount.min", "amountMinor", "must be >= 0", Severity.ERROR, Stage.QUALITY));

    @Test
    void violationDeadLettersNameARealExceptionClass() throws Exception {
        RecordHeaders headers = new RecordHeaders();

        DeadLetter.annotate(
                headers, "orders", "c", "1.0.0", Stage.QUALITY, VIOLATIONS, DeadLetter.CONTRACT_VIOLATION, "t", 0, 7);

        assertThat(Class.forName(DeadLetter.text(headers, DeadLetter.EXCEPTION)))
                .isEqualTo(ContractViolationException.class);
        assertThat(DeadLetter.violations(headers)).isEqualTo(VIOLATIONS);
        assertThat(headers.lastHeader(DeadLetter.STACKTRACE)).isNull();
    }

    @Test
    void unexpectedExceptionsCarryTheirClassAndStackTraceLikeKafkaStreamsDeadLetters() {
        RecordHeaders headers = new RecordHeaders();
        IllegalStateException failure = new IllegalStateException("boom");

        DeadLetter.annotate(headers, "orders", "c", "1.0.0", Stage.TRANSFORM, VIOLATIONS, "x", "t", 0, 7);
        DeadLetter.exception(headers, failure);

        assertThat(DeadLetter.text(headers, DeadLetter.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(DeadLetter.text(headers, DeadLetter.STACKTRACE))
                .startsWith("java.lang.IllegalStateException: boom")
                .contains("\tat io.backbone.dlq.DeadLetterTest");
        assertThat(headers.headers(DeadLetter.EXCEPTION)).hasSize(1);
    }
}
