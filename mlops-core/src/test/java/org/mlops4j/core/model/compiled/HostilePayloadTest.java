package org.mlops4j.core.model.compiled;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.Task;
import org.mlops4j.core.TestData;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.model.ArrayModel;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.train.Linear;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.TrainingSet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A damaged or hostile compiled payload is refused with a {@link BundleIntegrityException} that names the file
 * and says what is wrong, before anything is allocated from its counts and before any prediction can read
 * outside an array; random damage (with the CRC made to match) never gives another exception.
 */
class HostilePayloadTest {
    private static final Dataset DATA = TestData.boston().load();
    private static final Dataset FEATURES = DATA.drop("B", "MEDV");
    private static final TreeEnsemble FOREST = (TreeEnsemble) RandomForest.regression().trees(9).maxDepth(5).seed(5)
            .fit(new TrainingSet(FEATURES, Target.of(DATA, "MEDV", Task.REGRESSION)), TrainContext.defaults());
    private static final CompiledFlavor FLAVOR = new CompiledFlavor();

    private static byte[] payload(Model m) {
        return FLAVOR.write(m).get(CompiledFlavor.FILE).clone();
    }

    private static Model read(byte[] bytes, ModelSignature sig) {
        return FLAVOR.read(Map.of(CompiledFlavor.FILE, bytes), sig, "bundle hostile/1");
    }

    /** Rewrites the trailer so that only the structural checks can refuse the file. */
    private static byte[] recrc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return b;
    }

    private static byte[] withInt(byte[] original, int offset, int value) {
        byte[] b = original.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return recrc(b);
    }

    private static byte[] withDouble(byte[] original, int offset, double value) {
        byte[] b = original.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble(offset, value);
        return recrc(b);
    }

    private static void refused(byte[] bytes, ModelSignature sig, String... words) {
        assertThatThrownBy(() -> read(bytes, sig)).isInstanceOf(BundleIntegrityException.class)
                .hasMessageStartingWith("bundle hostile/1: model.compiled.bin: ").hasMessageContainingAll(words);
    }

    private static int nodesAt() {
        return CompiledPayload.HEADER + 8 * FOREST.treeCount();
    }

    private static int thresholdsAt() {
        return nodesAt() + 8 * FOREST.nodeCount();
    }

    @Test
    void theGoodPayloadReadsBack() {
        Model back = read(payload(FOREST), FOREST.signature());
        assertThat(back.predict(FEATURES)).isEqualTo(FOREST.predict(FEATURES));
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] good = payload(FOREST);
        for (int len = 0; len < good.length; len += len < 64 ? 1 : 37) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThatThrownBy(() -> read(cut, FOREST.signature())).as("cut to %d bytes", len)
                    .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("model.compiled.bin")
                    .message().containsAnyOf("truncated", "CRC-32C", "fewer than");
        }
    }

    @Test
    void anotherFileOrVersionOrDamageIsRefused() {
        byte[] good = payload(FOREST);
        byte[] magic = good.clone();
        magic[0] = 'X';
        refused(magic, FOREST.signature(), "does not start with \"M4JC\"");
        refused(withInt(good, 4, 2 | (1 << 16)), FOREST.signature(), "format version 2", "reads version 1");
        byte[] flipped = good.clone();
        flipped[thresholdsAt() + 3] ^= 0x10;
        refused(flipped, FOREST.signature(), "CRC-32C", "damaged");
        refused(good, new ModelSignature(Task.REGRESSION, List.of("a", "b"), List.of()), "reads 12 features", "lists 2 features");
        refused(good, new ModelSignature(Task.CLASSIFICATION, FOREST.signature().features(), List.of("x", "y")),
                "is a regression model but the manifest says classification");
    }

    @Test
    void indicesOutOfRangeAreRefused() {
        byte[] good = payload(FOREST);
        int n = FOREST.nodeCount();
        refused(withInt(good, nodesAt(), 12), FOREST.signature(), "node 0 reads feature 12, outside the 12 features");
        refused(withInt(good, nodesAt(), -1), FOREST.signature(), "node 0 reads feature -1");
        refused(withInt(good, nodesAt() + 4, n - 1), FOREST.signature(), "node 0 has children " + (n - 1) + " and " + n + ", outside");
        refused(withInt(good, nodesAt() + 4, Integer.MAX_VALUE), FOREST.signature(), "outside the " + n + " nodes");
        int rootsAt = CompiledPayload.HEADER + 4 * FOREST.treeCount();
        refused(withInt(good, rootsAt + 4, n), FOREST.signature(), "tree 1 has root " + n + ", outside the " + n + " nodes");
        refused(withInt(good, rootsAt, -7), FOREST.signature(), "tree 0 has root -7");
        refused(withInt(good, CompiledPayload.HEADER, Float.floatToIntBits(Float.NaN)), FOREST.signature(), "tree 0 has weight NaN");
    }

    @Test
    void cyclesAreRefused() {
        byte[] good = payload(FOREST);
        // Node 1 (a child of the root) pointing back at the root, and the root pointing at itself without being a leaf.
        int leftOfOne = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(nodesAt() + 8 + 4);
        assertThat(leftOfOne).as("node 1 is an inner node of this forest").isNotEqualTo(1);
        refused(withInt(good, nodesAt() + 8 + 4, 0), FOREST.signature(), "node 1 has child 0 before it", "a cycle?");
        refused(withInt(good, nodesAt() + 4, 0), FOREST.signature(), "leaf 0 has threshold");
        // A leaf must have a NaN threshold (it loops on itself by never going right).
        int leaf = -1;
        for (int i = 0; i < FOREST.nodeCount() && leaf < 0; i++) {
            if (ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(nodesAt() + 8 * i + 4) == i) {
                leaf = i;
            }
        }
        refused(withDouble(good, thresholdsAt() + 8 * leaf, 1.5), FOREST.signature(), "leaf " + leaf + " has threshold 1.5");
        refused(withDouble(good, thresholdsAt(), Double.NaN), FOREST.signature(), "inner node 0 has a NaN threshold");
    }

    @Test
    void hugeCountsAreRefusedBeforeAnythingIsAllocated() {
        byte[] good = payload(FOREST);
        refused(withInt(good, 20, 1 << 30), FOREST.signature(), "announces 1073741824 trees");
        refused(withInt(good, 24, Integer.MAX_VALUE), FOREST.signature(), "nodes (expected 1 to");
        refused(withInt(good, 20, 1 << 19), FOREST.signature(), "announces 524288 trees and", "which take");
        refused(withInt(good, 28, Integer.MAX_VALUE), FOREST.signature(), "announces 2147483647 body bytes", "truncated?");
        refused(withInt(good, 28, -1), FOREST.signature(), "announces 4294967295 body bytes");
        byte[] kind = good.clone();
        ByteBuffer.wrap(kind).order(ByteOrder.LITTLE_ENDIAN).putShort(6, (short) 9);
        refused(recrc(kind), FOREST.signature(), "kind 9");
        refused(withInt(good, 8, 1 | (7 << 8)), FOREST.signature(), "combiner 7");
    }

    @Test
    void aLinearPayloadIsCheckedToo() {
        Dataset wine = CompiledEqualityTest.wine();
        LinearModel m = (LinearModel) Linear.classification().fit(new TrainingSet(wine.drop("cultivar"),
                Target.of(wine, "cultivar", Task.CLASSIFICATION)), TrainContext.defaults());
        byte[] good = payload(m);
        assertThat(read(good, m.signature()).predict(wine.drop("cultivar"))).isEqualTo(m.predict(wine.drop("cultivar")));
        refused(withInt(good, CompiledPayload.HEADER + 4 * 3, 13), m.signature(), "term 3 reads feature 13, outside the 13 features");
        int orderAt = good.length - 4 - 4 * 3;
        int second = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(orderAt + 4);
        refused(withInt(good, orderAt, second), m.signature(), "class order entry", "repeated");
        refused(withInt(good, orderAt, 3), m.signature(), "class order entry 0 (3) is out of range");
        refused(withInt(good, 24, 4), m.signature(), "4 outputs (expected", "3 outputs");
    }

    @Test
    void randomDamageWithAMatchingCrcNeverEscapesAsAnotherException() {
        byte[] good = payload(FOREST);
        Random rnd = new Random(77);
        double[] row = new double[FOREST.width()];
        int loaded = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = good.clone();
            int changes = 1 + rnd.nextInt(4);
            for (int c = 0; c < changes; c++) {
                int at = rnd.nextInt(b.length - 4);
                b[at] = rnd.nextInt(3) == 0 ? (byte) rnd.nextInt(256) : (byte) (b[at] ^ (1 << rnd.nextInt(8)));
            }
            recrc(b);
            Model m;
            try {
                m = read(b, FOREST.signature());
            } catch (BundleIntegrityException e) {
                assertThat(e.getMessage()).startsWith("bundle hostile/1: model.compiled.bin: ");
                continue;
            }
            loaded++;
            for (int r = 0; r < 20; r++) {
                for (int f = 0; f < row.length; f++) {
                    row[f] = FEATURES.numeric(FOREST.signature().features().get(f)).get(rnd.nextInt(FEATURES.rowCount()));
                }
                ((ArrayModel) m).predictValue(row);
            }
        }
        // Thresholds, values and most weights may take any value: much damage loads and predicts (differently), safely.
        assertThat(loaded).isPositive();
    }
}
