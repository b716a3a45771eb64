package org.mlops4j.serving.drift;

import java.util.List;

/**
 * The drift check of one feature (or of the prediction) over one window, with the histograms it compared.
 * {@snippet :
 * FeatureDrift rm = drift.feature("RM").orElseThrow();
 * rm.state();       // OK, WARNING or DRIFT
 * rm.windowRows();  // rows judged
 * }
 *
 * @param feature    the column, or {@code prediction}
 * @param state      the worst deciding statistic's state (ok below {@code minRows})
 * @param windowRows rows in the window (present or missing)
 * @param reason     why the state is what it is, in words
 * @param statistics the statistics computed
 * @param bins       bin labels, in order (ranges, categories, {@code missing})
 * @param reference  reference share per bin (sums to 1)
 * @param live       live share per bin (sums to 1, or all 0 for an empty window)
 */
public record FeatureDrift(String feature, DriftState state, long windowRows, String reason, List<DriftStatistic> statistics, List<String> bins,
                           List<Double> reference, List<Double> live) {

    /** Copies. */
    public FeatureDrift {
        statistics = List.copyOf(statistics);
        bins = List.copyOf(bins);
        reference = List.copyOf(reference);
        live = List.copyOf(live);
    }
}
