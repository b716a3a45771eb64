package org.mlops4j.serving.drift;

import org.mlops4j.core.data.profile.ColumnProfile;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.serving.protocol.Batch;
import org.mlops4j.serving.protocol.InputLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Drift of one served version: every row served is counted into fixed bins of the training profile (the
 * bundle's {@code profile.json}) and every prediction into bins of the first window of predictions; each full
 * window is judged, its states published and listeners told of changes. Counting is a few atomic increments
 * per value; judging happens once per window. Thread-safe.
 * {@snippet :
 * DriftMonitor monitor = DriftMonitor.of("house-prices", 3, bundle.trainingProfile(), layout, DriftConfig.defaults(), Clock.systemUTC());
 * monitor.addListener((model, version, change) -> System.err.println(change.feature() + " " + change.state()));
 * monitor.record(rows, scores);
 * monitor.current().state();
 * }
 */
public final class DriftMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
    static final String PREDICTION = "prediction";

    private final String model;
    private final int version;
    private final DriftConfig config;
    private final Clock clock;
    private final Reference[] refs;       // by layout column; null when the profile lacks the column
    private final int[] offsets;
    private final int totalSlots;
    private final List<DriftListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Window> window = new AtomicReference<>();
    private final AtomicReference<DriftReport> completed = new AtomicReference<>();
    private final double[] predictionSeed;
    private final AtomicLong seeded = new AtomicLong();
    private volatile Reference predictionRef;
    private final AtomicBoolean rolling = new AtomicBoolean();
    private final AtomicReference<DriftState[]> states = new AtomicReference<>();

    private DriftMonitor(String model, int version, DataProfile profile, InputLayout layout, DriftConfig config, Clock clock) {
        this.model = model;
        this.version = version;
        this.config = config;
        this.clock = clock;
        refs = new Reference[layout.size()];
        offsets = new int[layout.size() + 1];
        int slots = 0;
        for (int c = 0; c < layout.size(); c++) {
            ColumnProfile p = find(profile, layout.names().get(c));
            if (p != null && (p instanceof org.mlops4j.core.data.profile.NumericProfile) == layout.isNumeric(c)) {
                refs[c] = Reference.of(p);
            }
            offsets[c] = slots;
            slots += refs[c] == null ? 0 : refs[c].slots();
        }
        offsets[layout.size()] = slots;
        totalSlots = slots;
        predictionSeed = new double[config.windowRows()];
        DriftState[] s = new DriftState[layout.size() + 1];
        java.util.Arrays.fill(s, DriftState.OK);
        states.set(s);
        window.set(new Window(clock.instant()));
    }

    private static ColumnProfile find(DataProfile profile, String name) {
        for (ColumnProfile p : profile.columns()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param model   model name
     * @param version version
     * @param profile the training profile of the raw features (the bundle's)
     * @param layout  the served input columns
     * @param config  thresholds and windows
     * @param clock   window times
     * @return the monitor
     */
    public static DriftMonitor of(String model, int version, DataProfile profile, InputLayout layout, DriftConfig config, Clock clock) {
        return new DriftMonitor(Objects.requireNonNull(model, "model"), version, Objects.requireNonNull(profile, "profile"),
                Objects.requireNonNull(layout, "layout"), Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    /** @param l told of state changes */
    public void addListener(DriftListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    /** @return the configuration */
    public DriftConfig config() {
        return config;
    }

    private final class Window {
        final Instant start;
        final AtomicLongArray counts = new AtomicLongArray(Math.max(1, totalSlots));
        final DoubleAdder[] under = new DoubleAdder[refs.length + 1];
        final DoubleAdder[] over = new DoubleAdder[refs.length + 1];
        final AtomicLongArray predictionCounts;
        final AtomicLong rows = new AtomicLong();
        final AtomicLong predictionRows = new AtomicLong();
        final Reference pref;

        Window(Instant start) {
            this.start = start;
            for (int i = 0; i < under.length; i++) {
                under[i] = new DoubleAdder();
                over[i] = new DoubleAdder();
            }
            pref = predictionRef;
            predictionCounts = new AtomicLongArray(pref == null ? 1 : pref.slots());
        }
    }

    /**
     * Counts a batch and its predictions into the current window; judges the window when it is full.
     *
     * @param batch       rows served
     * @param predictions their predictions (regression values or class scores), or null
     */
    public void record(Batch batch, double[] predictions) {
        Window w = window.get();
        int c = refs.length;
        int n = batch.rows();
        double[] values = batch.values();
        for (int col = 0; col < c; col++) {
            Reference ref = refs[col];
            if (ref == null) {
                continue;
            }
            int base = offsets[col];
            for (int r = 0; r < n; r++) {
                int slot;
                if (ref.numeric) {
                    double x = values[r * c + col];
                    slot = ref.slot(x);
                    if (ref.edges.length > 1 && !Double.isNaN(x)) {
                        if (x < ref.edges[0]) {
                            w.under[col].add(ref.edges[0] - x);
                        } else if (x > ref.edges[ref.edges.length - 1]) {
                            w.over[col].add(x - ref.edges[ref.edges.length - 1]);
                        }
                    }
                } else {
                    slot = ref.slot(batch.category(r, col));
                }
                w.counts.incrementAndGet(base + slot);
            }
        }
        if (predictions != null) {
            recordPredictions(w, predictions);
        }
        if (w.rows.addAndGet(n) >= config.windowRows()) {
            roll(w);
        }
    }

    private void recordPredictions(Window w, double[] predictions) {
        Reference pref = w.pref;
        if (pref == null) {
            long at = seeded.getAndAdd(predictions.length);
            for (int i = 0; i < predictions.length && at + i < predictionSeed.length; i++) {
                predictionSeed[(int) (at + i)] = predictions[i];
            }
            if (at < predictionSeed.length && at + predictions.length >= predictionSeed.length && predictionRef == null) {
                predictionRef = Reference.ofValues(PREDICTION, predictionSeed);
                LOG.debug("{}/{}: prediction reference set from the first {} predictions", model, version, predictionSeed.length);
            }
            return;
        }
        int top = pref.edges.length - 1;
        for (double p : predictions) {
            w.predictionCounts.incrementAndGet(pref.slot(p));
            if (!Double.isNaN(p) && top >= 1) {
                if (p < pref.edges[0]) {
                    w.under[refs.length].add(pref.edges[0] - p);
                } else if (p > pref.edges[top]) {
                    w.over[refs.length].add(p - pref.edges[top]);
                }
            }
        }
        w.predictionRows.addAndGet(predictions.length);
    }

    private void roll(Window full) {
        if (!rolling.compareAndSet(false, true)) {
            return;
        }
        try {
            if (window.get() != full) {
                return;
            }
            window.set(new Window(clock.instant()));
            DriftReport r = judge(full, "completed");
            completed.set(r);
            publish(r);
        } finally {
            rolling.set(false);
        }
    }

    private void publish(DriftReport r) {
        DriftState[] before = states.get();
        DriftState[] after = new DriftState[before.length];
        List<FeatureDrift> changes = new ArrayList<>();
        for (int i = 0; i < r.features().size(); i++) {
            after[i] = r.features().get(i).state();
            if (after[i] != before[i]) {
                changes.add(r.features().get(i));
            }
        }
        after[before.length - 1] = r.prediction().state();
        if (after[before.length - 1] != before[before.length - 1]) {
            changes.add(r.prediction());
        }
        states.set(after);
        for (FeatureDrift change : changes) {
            LOG.info("{}/{}: drift state of {} is now {} ({})", model, version, change.feature(), change.state().lower(), change.reason());
            for (DriftListener l : listeners) {
                try {
                    l.stateChanged(model, version, change);
                } catch (RuntimeException e) {
                    LOG.warn("a drift listener failed: {}", e.toString());
                }
            }
        }
    }

    /** @return the window filling now, judged as it stands */
    public DriftReport current() {
        return judge(window.get(), "current");
    }

    /** @return the last full window's report, if a window has completed */
    public java.util.Optional<DriftReport> lastCompleted() {
        return java.util.Optional.ofNullable(completed.get());
    }

    /** @return the published state per input column (in layout order) and, last, the prediction's */
    public List<DriftState> states() {
        return List.of(states.get());
    }

    private DriftReport judge(Window w, String which) {
        List<FeatureDrift> features = new ArrayList<>();
        int tests = 1;
        for (Reference r : refs) {
            tests += r == null ? 0 : 1;
        }
        DriftState worst = DriftState.OK;
        for (int col = 0; col < refs.length; col++) {
            Reference ref = refs[col];
            if (ref == null) {
                continue;
            }
            long[] counts = new long[ref.slots()];
            for (int s = 0; s < counts.length; s++) {
                counts[s] = w.counts.get(offsets[col] + s);
            }
            FeatureDrift f = judge(ref, counts, w.under[col].sum(), w.over[col].sum(), tests);
            features.add(f);
            worst = worst.worse(f.state());
        }
        FeatureDrift prediction;
        if (w.pref == null) {
            prediction = new FeatureDrift(PREDICTION, DriftState.OK, 0, "no prediction reference yet: it is the first "
                    + config.windowRows() + " predictions this version serves (" + Math.min(seeded.get(), config.windowRows()) + " so far)",
                    List.of(), List.of(), List.of(), List.of());
        } else {
            long[] counts = new long[w.pref.slots()];
            for (int s = 0; s < counts.length; s++) {
                counts[s] = w.predictionCounts.get(s);
            }
            prediction = judge(w.pref, counts, w.under[refs.length].sum(), w.over[refs.length].sum(), tests);
        }
        worst = worst.worse(prediction.state());
        return new DriftReport(model, version, which, w.rows.get(), w.start, clock.instant(), worst, features, prediction);
    }

    private FeatureDrift judge(Reference ref, long[] counts, double under, double over, int tests) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double[] live = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            live[i] = n == 0 ? 0 : (double) counts[i] / n;
        }
        List<Double> refList = new ArrayList<>();
        List<Double> liveList = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            refList.add(ref.shares[i]);
            liveList.add(live[i]);
        }
        if (n < config.minRows()) {
            return new FeatureDrift(ref.feature, DriftState.OK, n, n == 0 ? "empty window" : "too few rows to judge (" + n + " of at least "
                    + config.minRows() + ")", List.of(), ref.labels, refList, liveList);
        }
        List<DriftStatistic> stats = new ArrayList<>();
        boolean large = n > config.largeWindow();
        double psi = Stats.psi(ref.shares, live);
        if (large) {
            stats.add(DriftStatistic.above("jensen_shannon", Stats.jensenShannon(ref.shares, live), config.jsWarning(), config.jsDrift(), true));
            if (ref.numeric && ref.edges.length > 1) {
                stats.add(DriftStatistic.above("wasserstein", wasserstein(ref, counts, under, over) / ref.spread, config.wassersteinWarning(),
                        config.wassersteinDrift(), true));
            }
            stats.add(DriftStatistic.above("psi", psi, config.psiWarning(), config.psiDrift(), false));
        } else {
            double aw = config.alphaWarning() / tests;
            double ad = config.alphaDrift() / tests;
            if (ref.numeric) {
                stats.add(DriftStatistic.pValue("ks_p_value", ksPValue(ref, counts), aw, ad));
            } else {
                stats.add(DriftStatistic.pValue("chi2_p_value", Stats.chiSquarePValue(counts, ref.shares, ref.rows), aw, ad));
            }
            stats.add(DriftStatistic.above("psi", psi, config.psiWarning(), config.psiDrift(), false));
        }
        DriftState state = DriftState.OK;
        StringBuilder why = new StringBuilder();
        for (DriftStatistic s : stats) {
            if (s.deciding()) {
                state = state.worse(s.state());
                if (s.state() != DriftState.OK) {
                    why.append(why.isEmpty() ? "" : "; ").append(s.name()).append(String.format(java.util.Locale.ROOT, " %.4g", s.value()))
                            .append(s.name().endsWith("p_value") ? " below " : " at or above ")
                            .append(String.format(java.util.Locale.ROOT, "%.4g", s.state() == DriftState.DRIFT ? s.drift() : s.warning()));
                }
            }
        }
        String reason = state == DriftState.OK ? "within thresholds over " + n + " rows (" + (large ? "divergences" : "tests") + ")" : why.toString();
        return new FeatureDrift(ref.feature, state, n, reason, stats, ref.labels, refList, liveList);
    }

    /** KS over present values, Bonferroni-combined with a χ² test of the missing share when either side has missing values. */
    private static double ksPValue(Reference ref, long[] counts) {
        int miss = ref.missingSlot();
        long present = 0;
        for (int i = 0; i < miss; i++) {
            present += counts[i];
        }
        double refPresent = 1 - ref.shares[miss];
        double p = 1;
        if (present > 0 && refPresent > 0) {
            double fr = 0;
            double fl = 0;
            double d = 0;
            for (int i = 0; i < miss; i++) {
                fr += ref.shares[i] / refPresent;
                fl += (double) counts[i] / present;
                d = Math.max(d, Math.abs(fr - fl));
            }
            p = Stats.ksPValue(d, present, Math.round(ref.rows * refPresent));
        } else if (present > 0) {
            p = 0; // values where training had none
        }
        if (ref.shares[miss] > 0 || counts[miss] > 0) {
            double pm = Stats.chiSquarePValue(new long[] {present, counts[miss]}, new double[] {refPresent, ref.shares[miss]}, ref.rows);
            p = Math.min(1, 2 * Math.min(p, pm));
        }
        return p;
    }

    /** W1 between the binned training distribution and the live one (linear within bins, exact beyond the training range). */
    private static double wasserstein(Reference ref, long[] counts, double under, double over) {
        int miss = ref.missingSlot();
        long present = 0;
        for (int i = 0; i < miss; i++) {
            present += counts[i];
        }
        double refPresent = 1 - ref.shares[miss];
        if (present == 0 || refPresent <= 0) {
            return 0;
        }
        double w = (under + over) / present;
        int b = ref.edges.length - 1;
        double fr = 0;
        double fl = (double) counts[0] / present;
        double prev = Math.abs(fr - fl);
        for (int i = 1; i <= b; i++) {
            fr += ref.shares[i] / refPresent;
            fl += (double) counts[i] / present;
            double cur = Math.abs(fr - fl);
            w += (ref.edges[i] - ref.edges[i - 1]) * (prev + cur) / 2;
            prev = cur;
        }
        return w;
    }
}
