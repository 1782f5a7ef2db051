package io.backbone.demo;

import java.util.List;

/** What a join product published against the pairs its two input products allow, counted from the topics. */
public record JoinReport(
        String product,
        String productTopic,
        long leftIn,
        long rightIn,
        long expectedPairs,
        long productOut,
        long dlqOut,
        List<String> problems) {

    public boolean reconciled() {
        return problems.isEmpty();
    }
}
