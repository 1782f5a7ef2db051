package io.backbone.topology.status;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class LatencyHistogramTest {
    @Property
    void everyValueLandsInABucketThatHoldsItAndIsAtMostAQuarterWider(
            @ForAll @LongRange(min = 0, max = 1L << 40) long v) {
        int i = LatencyHistogram.index(v);
        assertThat(LatencyHistogram.upperBound(i)).isGreaterThanOrEqualTo(v);
        assertThat(i == 0 ? -1 : LatencyHistogram.upperBound(i - 1)).isLessThan(v);
        assertThat((double) LatencyHistogram.upperBound(i)).isLessThanOrEqualTo(Math.max(3, v * 1.25));
    }
}
