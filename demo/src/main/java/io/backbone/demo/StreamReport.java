package io.backbone.demo;

import java.util.List;
import java.util.Map;

/**
 * Where one raw stream's events went, what the simulator's ledger expected, and whether the two agree; {@code
 * corrected} counts the product records the contracts' normalisers corrected (header {@code backbone.corrected}).
 */
public record StreamReport(
        String product,
        String rawTopic,
        String productTopic,
        String dlqTopic,
        long rawIn,
        long productOut,
        Map<String, Long> dlqByStage,
        long duplicatesDropped,
        long corrected,
        long expectedProduct,
        long expectedCorrected,
        Map<String, Long> expectedDlqByStage,
        long expectedDuplicates,
        long piiFieldsChecked,
        List<String> problems) {

    public boolean reconciled() {
        return problems.isEmpty();
    }

    public long dlqOut() {
        return dlqByStage.values().stream().mapToLong(Long::longValue).sum();
    }
}
