package org.mlops4j.core.internal.tribuo;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import org.mlops4j.core.model.BundleIntegrityException;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every class name a Tribuo protobuf payload holds, before Tribuo sees it. Tribuo's loader calls
 * {@code Class.forName} (running static initializers) on each class name it reads: the model's, its
 * ensemble members', the combiner's, the feature and output domains', the tree nodes', the linear
 * parameters', and the provenance classes'. So the whole message tree is walked here, generically over the
 * protobuf descriptors: every {@code google.protobuf.Any} must hold one of the message types mlops4j writes
 * (and is unpacked and walked in turn), every field named {@code *class_name} must hold a class allowed in
 * its place (an ensemble member must be a tree), and no message may carry fields its type does not declare.
 * Nothing is loaded or initialised to decide. Internal: not an API.
 */
final class TribuoPayloadCheck {
    private static final String ANY = "google.protobuf.Any";
    private static final String URL_PREFIX = "type.googleapis.com/";
    private static final int MAX_DEPTH = 64;

    private static final Set<String> MODELS = Set.of(
            "org.tribuo.common.tree.TreeModel",
            "org.tribuo.regression.rtree.IndependentRegressionTreeModel",
            "org.tribuo.ensemble.WeightedEnsembleModel",
            "org.tribuo.regression.sgd.linear.LinearSGDModel",
            "org.tribuo.classification.sgd.linear.LinearSGDModel");
    /** mlops4j's ensembles are random forests: their members are trees. */
    private static final Set<String> MEMBERS = Set.of(
            "org.tribuo.common.tree.TreeModel",
            "org.tribuo.regression.rtree.IndependentRegressionTreeModel");
    private static final Set<String> OBJECTS = Set.of(
            "org.tribuo.DataSource", "org.tribuo.MutableDataset", "org.tribuo.dataset.DatasetView",
            "org.tribuo.classification.LabelFactory", "org.tribuo.regression.RegressionFactory",
            "org.tribuo.classification.dtree.CARTClassificationTrainer", "org.tribuo.classification.dtree.impurity.GiniIndex",
            "org.tribuo.classification.ensemble.VotingCombiner", "org.tribuo.regression.ensemble.AveragingCombiner",
            "org.tribuo.classification.sgd.linear.LinearSGDModel", "org.tribuo.classification.sgd.linear.LinearSGDTrainer",
            "org.tribuo.classification.sgd.objectives.LogMulticlass", "org.tribuo.regression.sgd.linear.LinearSGDModel",
            "org.tribuo.regression.sgd.linear.LinearSGDTrainer", "org.tribuo.regression.sgd.objectives.SquaredLoss",
            "org.tribuo.common.tree.RandomForestTrainer", "org.tribuo.common.tree.TreeModel", "org.tribuo.ensemble.BaggingTrainer",
            "org.tribuo.ensemble.WeightedEnsembleModel", "org.tribuo.math.optimisers.AdaGrad",
            "org.tribuo.regression.rtree.CARTRegressionTrainer", "org.tribuo.regression.rtree.IndependentRegressionTreeModel",
            "org.tribuo.regression.rtree.impurity.MeanSquaredError");
    private static final Set<String> PROVENANCE = Set.of(
            "com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl",
            "com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance",
            "com.oracle.labs.mlrg.olcut.provenance.primitives.CharProvenance",
            "com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance",
            "com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance",
            "com.oracle.labs.mlrg.olcut.provenance.primitives.FloatProvenance",
            "com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance",
            "com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance",
            "com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance",
            "org.tribuo.classification.LabelFactory$LabelFactoryProvenance",
            "org.tribuo.dataset.DatasetView$DatasetViewProvenance",
            "org.tribuo.provenance.DatasetProvenance",
            "org.tribuo.provenance.EnsembleModelProvenance",
            "org.tribuo.provenance.ModelProvenance",
            "org.tribuo.provenance.SimpleDataSourceProvenance",
            "org.tribuo.provenance.impl.TrainerProvenanceImpl",
            "org.tribuo.regression.RegressionFactory$RegressionFactoryProvenance");
    /** Per message type and field: the class names allowed there. A class-name field not listed is refused. */
    private static final Map<String, Set<String>> CLASS_FIELDS = Map.ofEntries(
            Map.entry("tribuo.core.EnsembleCombinerProto.class_name", Set.of("org.tribuo.regression.ensemble.AveragingCombiner",
                    "org.tribuo.classification.ensemble.VotingCombiner")),
            Map.entry("tribuo.core.FeatureDomainProto.class_name", Set.of("org.tribuo.ImmutableFeatureMap")),
            Map.entry("tribuo.core.VariableInfoProto.class_name", Set.of("org.tribuo.RealIDInfo", "org.tribuo.CategoricalIDInfo")),
            Map.entry("tribuo.core.OutputDomainProto.class_name", Set.of("org.tribuo.regression.ImmutableRegressionInfo",
                    "org.tribuo.classification.ImmutableLabelInfo")),
            Map.entry("tribuo.core.OutputProto.class_name", Set.of("org.tribuo.regression.Regressor$DimensionTuple",
                    "org.tribuo.regression.Regressor", "org.tribuo.classification.Label")),
            Map.entry("tribuo.core.OutputFactoryProto.class_name", Set.of("org.tribuo.regression.RegressionFactory",
                    "org.tribuo.classification.LabelFactory")),
            Map.entry("tribuo.common.tree.TreeNodeProto.class_name", Set.of("org.tribuo.common.tree.LeafNode",
                    "org.tribuo.common.tree.SplitNode")),
            Map.entry("tribuo.math.ParametersProto.class_name", Set.of("org.tribuo.math.LinearParameters")),
            Map.entry("tribuo.math.TensorProto.class_name", Set.of("org.tribuo.math.la.DenseMatrix", "org.tribuo.math.la.DenseVector")),
            Map.entry("tribuo.math.NormalizerProto.class_name", Set.of("org.tribuo.math.util.ExpNormalizer",
                    "org.tribuo.math.util.NoopNormalizer", "org.tribuo.math.util.Normalizer", "org.tribuo.math.util.SigmoidNormalizer")),
            Map.entry("olcut.ObjectProvenanceProto.object_class_name", OBJECTS),
            Map.entry("olcut.ObjectProvenanceProto.provenance_class_name", PROVENANCE),
            Map.entry("olcut.SimpleProvenanceProto.provenance_class_name", PROVENANCE));
    /** The message types an Any may hold: what mlops4j's models write. */
    private static final Set<String> ANY_TYPES = Set.of(
            "tribuo.common.tree.LeafNodeProto", "tribuo.common.tree.SplitNodeProto", "tribuo.common.tree.TreeModelProto",
            "tribuo.core.CategoricalIDInfoProto", "tribuo.core.RealIDInfoProto", "tribuo.core.ImmutableFeatureMapProto",
            "tribuo.core.WeightedEnsembleModelProto", "tribuo.math.impl.DenseTensorProto", "tribuo.math.impl.LinearParametersProto",
            "tribuo.regression.DimensionTupleProto", "tribuo.regression.RegressorProto", "tribuo.regression.ImmutableRegressionInfoProto",
            "tribuo.regression.RegressionFactoryProto", "tribuo.regression.sgd.RegressionLinearSGDProto",
            "tribuo.regression.tree.IndependentRegressionTreeModelProto", "tribuo.classification.ImmutableLabelInfoProto",
            "tribuo.classification.LabelProto", "tribuo.classification.sgd.ClassificationLinearSGDProto");
    private static final Map<String, Descriptor> TYPES = types();

    private TribuoPayloadCheck() {
    }

    /** @return the descriptor of a message type an Any may hold, or null (for tests that tamper with payloads) */
    static Descriptor anyType(String fullName) {
        return TYPES.get(fullName);
    }

    private static Map<String, Descriptor> types() {
        Map<String, Descriptor> all = new HashMap<>();
        Set<FileDescriptor> seen = new HashSet<>();
        for (FileDescriptor f : List.of(org.tribuo.protos.core.TribuoCore.getDescriptor(), org.tribuo.protos.core.TribuoCoreImpl.getDescriptor(),
                org.tribuo.regression.protos.TribuoRegressionCore.getDescriptor(),
                org.tribuo.regression.rtree.protos.TribuoRegressionTree.getDescriptor(), org.tribuo.common.tree.protos.TribuoTree.getDescriptor(),
                org.tribuo.math.protos.TribuoMath.getDescriptor(), org.tribuo.math.protos.TribuoMathImpl.getDescriptor(),
                org.tribuo.regression.sgd.protos.TribuoRegressionSgd.getDescriptor(),
                org.tribuo.classification.protos.TribuoClassificationCore.getDescriptor(),
                org.tribuo.classification.sgd.protos.TribuoClassificationSgd.getDescriptor())) {
            add(f, seen, all);
        }
        Map<String, Descriptor> allowed = new HashMap<>();
        for (String t : ANY_TYPES) {
            Descriptor d = all.get(t);
            if (d == null) {
                throw new IllegalStateException("Tribuo's protobuf descriptors have no " + t + "; is this Tribuo 4.3?");
            }
            allowed.put(t, d);
        }
        return allowed;
    }

    private static void add(FileDescriptor f, Set<FileDescriptor> seen, Map<String, Descriptor> all) {
        if (!seen.add(f)) {
            return;
        }
        for (Descriptor d : f.getMessageTypes()) {
            addMessage(d, all);
        }
        for (FileDescriptor dep : f.getDependencies()) {
            add(dep, seen, all);
        }
    }

    private static void addMessage(Descriptor d, Map<String, Descriptor> all) {
        all.put(d.getFullName(), d);
        for (Descriptor n : d.getNestedTypes()) {
            addMessage(n, all);
        }
    }

    /**
     * @param model the parsed top-level proto
     * @param where the bundle, for messages
     * @throws BundleIntegrityException naming the first class name or message type that is not allowed, and where
     */
    static void check(Message model, String where) {
        walk(model, "model", null, 0, where);
    }

    private static void walk(Message m, String path, String context, int depth, String where) {
        if (depth > MAX_DEPTH) {
            throw new BundleIntegrityException(where + ": the model payload nests deeper than " + MAX_DEPTH + " messages at " + path);
        }
        String type = m.getDescriptorForType().getFullName();
        if (!m.getUnknownFields().asMap().isEmpty()) {
            throw new BundleIntegrityException(where + ": the model payload's " + type + " at " + path + " carries fields "
                    + m.getUnknownFields().asMap().keySet() + " that its type does not declare; refusing it");
        }
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            List<?> values = f.isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                String at = path + "." + f.getName() + (f.isRepeated() ? "[" + i + "]" : "");
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    Message sub = (Message) v;
                    if (sub.getDescriptorForType().getFullName().equals(ANY)) {
                        walkAny(sub, at, type + "." + f.getName(), depth, where);
                    } else {
                        walk(sub, at, type + "." + f.getName(), depth + 1, where);
                    }
                } else if (f.getJavaType() == FieldDescriptor.JavaType.STRING && f.getName().endsWith("class_name")) {
                    checkClass((String) v, type + "." + f.getName(), context, at, where);
                }
            }
        }
    }

    private static void checkClass(String name, String field, String context, String at, String where) {
        Set<String> allowed;
        if (field.equals("tribuo.core.ModelProto.class_name")) {
            allowed = context == null ? MODELS : context.equals("tribuo.core.WeightedEnsembleModelProto.models") ? MEMBERS : Set.of();
        } else {
            allowed = CLASS_FIELDS.getOrDefault(field, Set.of());
        }
        if (!allowed.contains(name)) {
            throw new BundleIntegrityException(where + ": the model payload names class '" + name + "' at " + at + ", which mlops4j"
                    + " does not load there" + (allowed.isEmpty() ? "" : "; expected one of " + allowed.stream().sorted().toList())
                    + ". Refused before Tribuo saw it: no class was loaded");
        }
    }

    private static void walkAny(Message any, String at, String context, int depth, String where) {
        Descriptor d = any.getDescriptorForType();
        String url = (String) any.getField(d.findFieldByName("type_url"));
        ByteString value = (ByteString) any.getField(d.findFieldByName("value"));
        if (url.isEmpty() && value.isEmpty()) {
            return;
        }
        String typeName = url.startsWith(URL_PREFIX) ? url.substring(URL_PREFIX.length()) : null;
        Descriptor t = typeName == null ? null : TYPES.get(typeName);
        if (t == null) {
            throw new BundleIntegrityException(where + ": the model payload holds a message of type " + org.mlops4j.core.internal.Names.quote(url)
                    + " at " + at + ", which mlops4j does not write; refusing it");
        }
        DynamicMessage inner;
        try {
            CodedInputStream in = value.newCodedInput();
            in.setRecursionLimit(MAX_DEPTH);
            inner = DynamicMessage.parseFrom(t, in);
        } catch (IOException e) {
            throw new BundleIntegrityException(where + ": the model payload's " + typeName + " at " + at + " is malformed: " + e.getMessage(), e);
        }
        walk(inner, at + "<" + t.getName() + ">", context, depth + 1, where);
    }
}
