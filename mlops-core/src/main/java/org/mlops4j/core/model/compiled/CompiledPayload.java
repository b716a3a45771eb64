package org.mlops4j.core.model.compiled;

import org.mlops4j.core.Task;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The compiled models' own payload, {@code model.compiled.bin}: little-endian, versioned, CRC-32C checked,
 * read without reflection or class names, every count checked against the file's length before anything is
 * allocated and every index checked before it is used (docs/bundle-format.md, "The compiled payload").
 *
 * <pre>
 * header (32 bytes)
 *   0  magic "M4JC"          4  u16 version (1)        6  u16 kind (1 trees, 2 linear)
 *   8  u8 task (1 regression, 2 classification)        9  u8 mode (trees: 0 single, 1 average, 2 vote;
 *                                                          linear: 0 none, 1 softmax)   10 u16 zero
 *  12  i32 features          16  i32 classes (0 for regression)
 *  20  i32 a (trees: trees; linear: terms)             24  i32 b (trees: nodes; linear: outputs)
 *  28  i32 body bytes
 * body, trees:  f32 weight[a], i32 root[a], i32 (feature, left)[2b], f64 threshold[b],
 *               regression: f64 value[b]; classification: i32 class[b], single: f64 score[b * classes],
 *               i32 classOrder[classes]
 * body, linear: i32 column[a], f64 weight[b * (a + 1)], classification: i32 classOrder[classes]
 * trailer: u32 CRC-32C of header and body
 * </pre>
 */
final class CompiledPayload {
    static final byte[] MAGIC = {'M', '4', 'J', 'C'};
    static final int VERSION = 1;
    static final int HEADER = 32;
    static final int TRAILER = 4;
    static final int KIND_TREES = 1;
    static final int KIND_LINEAR = 2;

    private CompiledPayload() {
    }

    // ---- writing ----

    static byte[] write(TreeEnsemble m) {
        ModelSignature s = m.signature();
        boolean regression = s.task() == Task.REGRESSION;
        int trees = m.treeCount();
        int nodes = m.nodeCount();
        int k = s.classes().size();
        long body = 4L * trees + 4L * trees + 8L * nodes + 8L * nodes
                + (regression ? 8L * nodes : 4L * nodes + (m.combiner() == TreeEnsemble.Combiner.SINGLE ? 8L * nodes * k : 0) + 4L * k);
        ByteBuffer b = header(KIND_TREES, s, m.combiner().ordinal(), trees, nodes, body);
        for (float w : m.weights()) {
            b.putFloat(w);
        }
        putInts(b, m.roots());
        putInts(b, m.nodes());
        putDoubles(b, m.thresholds());
        if (regression) {
            putDoubles(b, m.values());
        } else {
            putInts(b, m.leafClasses());
            if (m.combiner() == TreeEnsemble.Combiner.SINGLE) {
                putDoubles(b, m.leafScores());
            }
            putInts(b, m.classOrder());
        }
        return finish(b);
    }

    static byte[] write(LinearModel m) {
        ModelSignature s = m.signature();
        boolean regression = s.task() == Task.REGRESSION;
        int terms = m.columns().length;
        int outputs = regression ? 1 : s.classes().size();
        long body = 4L * terms + 8L * outputs * (terms + 1) + (regression ? 0 : 4L * outputs);
        ByteBuffer b = header(KIND_LINEAR, s, m.normalizer().ordinal(), terms, outputs, body);
        putInts(b, m.columns());
        putDoubles(b, m.weights());
        if (!regression) {
            putInts(b, m.classOrder());
        }
        return finish(b);
    }

    private static ByteBuffer header(int kind, ModelSignature s, int mode, int a, int b, long body) {
        if (body > Integer.MAX_VALUE - HEADER - TRAILER) {
            throw new IllegalArgumentException("the compiled model needs " + body + " bytes, more than one payload file holds");
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER + (int) body + TRAILER).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putShort((short) VERSION).putShort((short) kind);
        buf.put((byte) (s.task() == Task.REGRESSION ? 1 : 2)).put((byte) mode).putShort((short) 0);
        buf.putInt(s.features().size()).putInt(s.classes().size()).putInt(a).putInt(b).putInt((int) body);
        return buf;
    }

    private static void putInts(ByteBuffer b, int[] v) {
        b.asIntBuffer().put(v);
        b.position(b.position() + 4 * v.length);
    }

    private static void putDoubles(ByteBuffer b, double[] v) {
        b.asDoubleBuffer().put(v);
        b.position(b.position() + 8 * v.length);
    }

    private static byte[] finish(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        if (b.hasRemaining()) {
            throw new IllegalStateException("compiled payload size miscounted by " + b.remaining() + " bytes");
        }
        return b.array();
    }

    // ---- reading ----

    /**
     * @param bytes     the payload
     * @param signature the manifest's signature
     * @return the model
     * @throws IllegalArgumentException saying what is wrong (the flavor adds the bundle's name)
     */
    static Model read(byte[] bytes, ModelSignature signature) {
        if (bytes.length < HEADER + TRAILER) {
            throw new IllegalArgumentException("the compiled payload has " + bytes.length + " bytes, fewer than its "
                    + (HEADER + TRAILER) + "-byte header and trailer (truncated?)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get() != MAGIC[i]) {
                throw new IllegalArgumentException("the compiled payload does not start with \"M4JC\"; it is not a compiled model");
            }
        }
        int version = Short.toUnsignedInt(b.getShort());
        if (version != VERSION) {
            throw new IllegalArgumentException("the compiled payload has format version " + version + "; this mlops4j reads version "
                    + VERSION + " (a newer mlops4j wrote it?)");
        }
        int kind = Short.toUnsignedInt(b.getShort());
        int task = Byte.toUnsignedInt(b.get());
        int mode = Byte.toUnsignedInt(b.get());
        int zero = Short.toUnsignedInt(b.getShort());
        int width = b.getInt();
        int classes = b.getInt();
        int a = b.getInt();
        int n = b.getInt();
        int body = b.getInt();
        long actual = (long) bytes.length - HEADER - TRAILER;
        if (body != actual) {
            throw new IllegalArgumentException("the compiled payload's header announces " + Integer.toUnsignedString(body)
                    + " body bytes but the file holds " + actual + (body > actual ? " (truncated?)" : ""));
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER + body);
        int stored = ByteBuffer.wrap(bytes, HEADER + body, TRAILER).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException("the compiled payload's CRC-32C is " + Integer.toHexString(stored) + " but its content gives "
                    + Integer.toHexString((int) crc.getValue()) + " (damaged)");
        }
        Task expectedTask = signature.task();
        if (zero != 0 || (task != 1 && task != 2)) {
            throw new IllegalArgumentException("the compiled payload's header has task " + task + " and reserved " + zero
                    + " (expected task 1 or 2, reserved 0)");
        }
        if ((task == 1) != (expectedTask == Task.REGRESSION)) {
            throw new IllegalArgumentException("the compiled payload is a " + (task == 1 ? "regression" : "classification")
                    + " model but the manifest says " + expectedTask.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (width != signature.features().size() || classes != signature.classes().size()) {
            throw new IllegalArgumentException("the compiled payload reads " + width + " features and knows " + classes
                    + " classes but the manifest lists " + signature.features().size() + " features and "
                    + signature.classes().size() + " classes");
        }
        boolean regression = task == 1;
        return switch (kind) {
            case KIND_TREES -> readTrees(b, signature, regression, mode, a, n, body);
            case KIND_LINEAR -> readLinear(b, signature, regression, mode, a, n, body);
            default -> throw new IllegalArgumentException("the compiled payload has kind " + kind + " (expected 1 trees or 2 linear)");
        };
    }

    private static Model readTrees(ByteBuffer b, ModelSignature s, boolean regression, int mode, int trees, int nodes, int body) {
        TreeEnsemble.Combiner[] all = TreeEnsemble.Combiner.values();
        if (mode >= all.length) {
            throw new IllegalArgumentException("the compiled trees have combiner " + mode + " (expected 0 single, 1 average, 2 vote)");
        }
        TreeEnsemble.Combiner combiner = all[mode];
        int k = s.classes().size();
        if (trees < 1 || trees > TreeEnsemble.MAX_TREES || nodes < 1 || nodes > TreeEnsemble.MAX_NODES) {
            throw new IllegalArgumentException("the compiled payload announces " + trees + " trees and " + nodes
                    + " nodes (expected 1 to " + TreeEnsemble.MAX_TREES + " trees and 1 to " + TreeEnsemble.MAX_NODES + " nodes)");
        }
        long expected = 8L * trees + 16L * nodes + (regression ? 8L * nodes
                : 4L * nodes + (combiner == TreeEnsemble.Combiner.SINGLE ? 8L * nodes * k : 0) + 4L * k);
        if (expected != body) {
            throw new IllegalArgumentException("the compiled payload announces " + trees + " trees and " + nodes + " nodes, which take "
                    + expected + " bytes, but its body has " + body);
        }
        float[] weights = new float[trees];
        for (int t = 0; t < trees; t++) {
            weights[t] = b.getFloat();
        }
        int[] roots = ints(b, trees);
        int[] nodeInts = ints(b, 2 * nodes);
        double[] thresholds = doubles(b, nodes);
        double[] values = null;
        int[] leafClasses = null;
        double[] leafScores = null;
        int[] order = null;
        if (regression) {
            values = doubles(b, nodes);
        } else {
            leafClasses = ints(b, nodes);
            if (combiner == TreeEnsemble.Combiner.SINGLE) {
                leafScores = doubles(b, nodes * k);
            }
            order = ints(b, k);
        }
        return TreeEnsemble.of(s, combiner, weights, roots, nodeInts, thresholds, values, leafClasses, leafScores, order, null);
    }

    private static Model readLinear(ByteBuffer b, ModelSignature s, boolean regression, int mode, int terms, int outputs, int body) {
        LinearModel.Normalizer[] all = LinearModel.Normalizer.values();
        if (mode >= all.length) {
            throw new IllegalArgumentException("the compiled linear model has normalizer " + mode + " (expected 0 none, 1 softmax)");
        }
        int expectedOutputs = regression ? 1 : s.classes().size();
        if (terms < 1 || terms > LinearModel.MAX_TERMS || outputs != expectedOutputs) {
            throw new IllegalArgumentException("the compiled payload announces " + terms + " terms and " + outputs
                    + " outputs (expected 1 to " + LinearModel.MAX_TERMS + " terms and " + expectedOutputs + " outputs)");
        }
        long expected = 4L * terms + 8L * outputs * (terms + 1L) + (regression ? 0 : 4L * outputs);
        if (expected != body) {
            throw new IllegalArgumentException("the compiled payload announces " + terms + " terms and " + outputs
                    + " outputs, which take " + expected + " bytes, but its body has " + body);
        }
        int[] columns = ints(b, terms);
        double[] weights = doubles(b, outputs * (terms + 1));
        int[] order = regression ? null : ints(b, outputs);
        return LinearModel.of(s, columns, weights, all[mode], order, null);
    }

    private static int[] ints(ByteBuffer b, int count) {
        int[] v = new int[count];
        b.asIntBuffer().get(v);
        b.position(b.position() + 4 * count);
        return v;
    }

    private static double[] doubles(ByteBuffer b, int count) {
        double[] v = new double[count];
        b.asDoubleBuffer().get(v);
        b.position(b.position() + 8 * count);
        return v;
    }
}
