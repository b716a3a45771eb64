package org.mlops4j.core.internal.tribuo;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.TestData;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.BundleLimits;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.ModelSignature;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.core.train.Linear;
import org.mlops4j.core.train.RandomForest;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.WeightedEnsembleModelProto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attack run's findings on the Tribuo payload, each closed: every class name in the protobuf (not only the
 * top-level one) is checked before Tribuo sees it, without loading the class; an ensemble member of another
 * class is refused; a gzip bomb stops at the limits.
 */
class TribuoPayloadAttackTest {
    private static final String CANARY = Canary.class.getName();
    private static PipelineResult forest;
    private static PipelineResult tree;
    private static PipelineResult linear;

    @BeforeAll
    static void train() {
        forest = Pipeline.from(TestData.boston()).label("MEDV").drop("B").train(RandomForest.regression().trees(3).seed(7)).run();
        tree = Pipeline.from(TestData.boston()).label("MEDV").drop("B").train(DecisionTree.regression().maxDepth(3)).run();
        linear = Pipeline.from(TestData.boston()).label("MEDV").drop("B").train(Linear.regression()).run();
        System.clearProperty("mlops4j.test.canary");
    }

    /**
     * The run's model as a tribuo-flavored bundle: the trainers register compiled models, whose Tribuo source (kept in
     * memory) is what Tribuo interop writes and what these attacks target.
     */
    static ModelBundle tribuo(PipelineResult r) {
        ModelBundle compiled = r.bundle();
        org.mlops4j.core.model.Model source = switch (compiled.model()) {
            case org.mlops4j.core.model.compiled.TreeEnsemble t -> t.source().orElseThrow();
            case org.mlops4j.core.model.compiled.LinearModel l -> l.source().orElseThrow();
            case org.mlops4j.core.model.Model other -> other;
        };
        BundleManifest m = compiled.manifest();
        return ModelBundle.builder(source).label(m.label()).algorithm(m.algorithm(), m.hyperparameters()).transforms(compiled.transforms())
                .inputSchema(m.inputSchema()).ignoredInputs(m.ignoredInputs()).trainingProfile(compiled.trainingProfile()).metrics(m.metrics())
                .lineage(m.lineage()).environment(m.environment()).createdAt(m.createdAt()).build();
    }

    private static ModelProto proto(PipelineResult r) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tribuo(r).file(TribuoFlavor.FILE).orElseThrow()))) {
            return ModelProto.parseFrom(in);
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** Replaces every string field equal to {@code from}, however deep, re-packing each Any on the way. */
    private static Message replace(Message m, String field, String from, String to, int[] count) throws IOException {
        Message.Builder b = m.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            List<?> values = f.isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
            List<Object> changed = new ArrayList<>();
            for (Object v : values) {
                if (v instanceof Message sub && sub.getDescriptorForType().getFullName().equals("google.protobuf.Any")) {
                    Descriptor d = sub.getDescriptorForType();
                    String url = (String) sub.getField(d.findFieldByName("type_url"));
                    ByteString value = (ByteString) sub.getField(d.findFieldByName("value"));
                    Descriptor t = TribuoPayloadCheck.anyType(url.substring(url.lastIndexOf('/') + 1));
                    if (t != null) {
                        Message inner = replace(DynamicMessage.parseFrom(t, value), field, from, to, count);
                        v = sub.toBuilder().setField(d.findFieldByName("value"), inner.toByteString()).build();
                    }
                } else if (v instanceof Message sub) {
                    v = replace(sub, field, from, to, count);
                } else if (v instanceof String s && s.equals(from) && f.getFullName().equals(field)) {
                    count[0]++;
                    v = to;
                }
                changed.add(v);
            }
            b.setField(f, f.isRepeated() ? changed : changed.get(0));
        }
        return b.build();
    }

    private static byte[] tampered(PipelineResult r, String field, String from, String to) throws IOException {
        int[] count = {0};
        Message m = replace(proto(r), field, from, to, count);
        assertThat(count[0]).as("occurrences of %s", from).isPositive();
        return gzip(m.toByteArray());
    }

    /** The bundle's files with the payload replaced and the manifest rewritten so every checksum matches. */
    private static Map<String, byte[]> withPayload(PipelineResult r, byte[] payload) {
        BundleManifest m = tribuo(r).manifest();
        List<BundleManifest.BundleFile> listed = m.files().stream().map(f -> f.path().equals(TribuoFlavor.FILE)
                ? new BundleManifest.BundleFile(f.path(), Sha256.hex(payload), payload.length) : f).toList();
        BundleManifest changed = new BundleManifest(m.format(), m.formatVersion(), m.flavor(), m.task(), m.label(), m.algorithm(),
                m.hyperparameters(), m.inputSchema(), m.features(), m.classes(), m.metrics(), m.lineage(), m.environment(), m.createdAt(),
                listed, m.training(), m.inputRanges(), m.output());
        Map<String, byte[]> files = new LinkedHashMap<>(tribuo(r).files());
        files.put(TribuoFlavor.FILE, payload);
        files.put(ModelBundle.MANIFEST, Json.write(changed));
        return files;
    }

    private static void assertRefusedWithoutLoading(PipelineResult r, String field, String from, String where) throws IOException {
        Map<String, byte[]> files = withPayload(r, tampered(r, field, from, CANARY));
        assertThatThrownBy(() -> ModelBundle.fromFiles(files, "tampered"))
                .as("class name at %s", where)
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("names class '" + CANARY + "'")
                .hasMessageContaining(where)
                .hasMessageContaining("no class was loaded");
        assertThat(System.getProperty("mlops4j.test.canary")).as("the canary's static initializer ran").isNull();
    }

    @Test
    void everyNestedClassNameIsCheckedBeforeTribuoLoadsIt() throws IOException {
        String model = "tribuo.core.ModelProto.class_name";
        assertRefusedWithoutLoading(tree, model, "org.tribuo.regression.rtree.IndependentRegressionTreeModel", "at model.class_name");
        assertRefusedWithoutLoading(forest, model, "org.tribuo.regression.rtree.IndependentRegressionTreeModel", ".models[0].class_name");
        assertRefusedWithoutLoading(forest, "tribuo.core.EnsembleCombinerProto.class_name",
                "org.tribuo.regression.ensemble.AveragingCombiner", ".combiner.class_name");
        assertRefusedWithoutLoading(tree, "tribuo.core.FeatureDomainProto.class_name", "org.tribuo.ImmutableFeatureMap",
                ".feature_domain.class_name");
        assertRefusedWithoutLoading(tree, "tribuo.core.OutputDomainProto.class_name", "org.tribuo.regression.ImmutableRegressionInfo",
                ".output_domain.class_name");
        assertRefusedWithoutLoading(tree, "tribuo.core.VariableInfoProto.class_name", "org.tribuo.RealIDInfo", ".info[");
        assertRefusedWithoutLoading(tree, "olcut.ObjectProvenanceProto.provenance_class_name", "org.tribuo.provenance.ModelProvenance",
                ".provenance.omp[");
        assertRefusedWithoutLoading(tree, "olcut.SimpleProvenanceProto.provenance_class_name",
                "com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance", ".provenance.smp[");
        assertRefusedWithoutLoading(tree, "olcut.ObjectProvenanceProto.object_class_name", "org.tribuo.regression.rtree.CARTRegressionTrainer",
                ".object_class_name");
        assertRefusedWithoutLoading(tree, "tribuo.common.tree.TreeNodeProto.class_name", "org.tribuo.common.tree.LeafNode", ".nodes[");
        assertRefusedWithoutLoading(linear, "tribuo.math.ParametersProto.class_name", "org.tribuo.math.LinearParameters", ".params.class_name");
        assertRefusedWithoutLoading(linear, "tribuo.math.TensorProto.class_name", "org.tribuo.math.la.DenseMatrix", ".class_name");
    }

    @Test
    void anEnsembleMemberOfAnotherModelClassIsRefused() throws IOException {
        ModelProto f = proto(forest);
        WeightedEnsembleModelProto ensemble = f.getSerializedData().unpack(WeightedEnsembleModelProto.class);
        WeightedEnsembleModelProto swapped = ensemble.toBuilder().setModels(0, proto(linear)).build();
        byte[] payload = gzip(f.toBuilder().setSerializedData(Any.pack(swapped)).build().toByteArray());

        assertThatThrownBy(() -> ModelBundle.fromFiles(withPayload(forest, payload), "tampered"))
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("names class 'org.tribuo.regression.sgd.linear.LinearSGDModel' at model.serialized_data")
                .hasMessageContaining("models[0]")
                .hasMessageContaining("expected one of [org.tribuo.common.tree.TreeModel, org.tribuo.regression.rtree.IndependentRegressionTreeModel]");
    }

    @Test
    void aMessageTypeMlops4jDoesNotWriteIsRefused() throws IOException {
        ModelProto t = proto(tree);
        Any foreign = Any.newBuilder().setTypeUrl("type.googleapis.com/tribuo.core.MutableDatasetProto")
                .setValue(t.getSerializedData().getValue()).build();
        byte[] payload = gzip(t.toBuilder().setSerializedData(foreign).build().toByteArray());

        assertThatThrownBy(() -> ModelBundle.fromFiles(withPayload(tree, payload), "tampered"))
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("type.googleapis.com/tribuo.core.MutableDatasetProto")
                .hasMessageContaining("which mlops4j does not write");
    }

    @Test
    void fieldsATypeDoesNotDeclareAreRefused() throws IOException {
        byte[] raw = proto(tree).toByteArray();
        byte[] extra = new byte[raw.length + 3];
        System.arraycopy(raw, 0, extra, 0, raw.length);
        extra[raw.length] = (byte) (99 << 3);   // field 99, varint
        extra[raw.length + 1] = 1;
        extra[raw.length + 2] = 0;
        assertThatThrownBy(() -> ModelBundle.fromFiles(withPayload(tree, gzip(java.util.Arrays.copyOf(extra, raw.length + 2))), "tampered"))
                .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("that its type does not declare");
    }

    @Test
    void aFeatureListCutToOneColumnIsRefusedByThePayload() {
        ModelBundle b = tribuo(tree);
        ModelSignature cut = new ModelSignature(b.manifest().task(), List.of("RM"), List.of());
        assertThatThrownBy(() -> new TribuoFlavor().read(b.files(), cut, "cut"))
                .isInstanceOf(BundleIntegrityException.class)
                .hasMessageContaining("the model reads 12 features but the manifest lists 1");
        ModelSignature classification = new ModelSignature(org.mlops4j.core.Task.CLASSIFICATION, b.manifest().features(), List.of("a", "b"));
        assertThatThrownBy(() -> new TribuoFlavor().read(b.files(), classification, "task"))
                .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("records a CLASSIFICATION model");
    }

    @Test
    void aGzipBombStopsAtTheLimitsWithoutExpandingWhole() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(new byte[] {0x12, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});   // field 2 (a string), 256 MiB long
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                gz.write(zeros);   // 256 MiB of zeros: about 250 KiB compressed
            }
        }
        byte[] bomb = out.toByteArray();
        ModelSignature sig = tribuo(tree).model().signature();
        Map<String, byte[]> files = Map.of(TribuoFlavor.FILE, bomb);

        assertThatThrownBy(() -> new TribuoFlavor().read(files, sig, "bomb", BundleLimits.defaults()))
                .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("expands more than 100 times")
                .hasMessageContaining("compression bomb");
        assertThatThrownBy(() -> new TribuoFlavor().read(files, sig, "bomb",
                BundleLimits.defaults().withMaxExpansionRatio(100_000).withMaxExpandedBytes(16L << 20)))
                .isInstanceOf(BundleIntegrityException.class).hasMessageContaining("expands past 16777216 bytes");
    }

    @Test
    void everyBuiltInModelPassesTheCheck() {
        for (PipelineResult r : List.of(forest, tree, linear)) {
            ModelBundle again = ModelBundle.fromFiles(tribuo(r).files(), "again");
            assertThat(again.predictor().predict(r.testSet())).isEqualTo(r.testPredictions());
        }
        PipelineResult iris = Pipeline.from(TestData.iris()).label("species").train(RandomForest.classification().trees(3).seed(1)).run();
        assertThat(ModelBundle.fromFiles(tribuo(iris).files(), "iris").predictor().predict(iris.testSet())).isEqualTo(iris.testPredictions());
        PipelineResult irisLinear = Pipeline.from(TestData.iris()).label("species").train(Linear.classification()).run();
        assertThat(ModelBundle.fromFiles(tribuo(irisLinear).files(), "iris").predictor().predict(irisLinear.testSet()))
                .isEqualTo(irisLinear.testPredictions());
    }
}
