package org.mlops4j.core.internal.tribuo;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import org.mlops4j.core.internal.Sha256;
import org.tribuo.protos.core.ModelProto;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SHA-256 of a Tribuo model protobuf without its provenance. Tribuo embeds provenance (the training time,
 * the host's Java and OS, the data set's load time) in every model and ensemble member, so two trainings of
 * the same seeded model on the same rows give different payload bytes; what remains — trees, weights, feature
 * and output domains — is deterministic, and this hashes exactly that. {@code Any} fields are unpacked
 * through the descriptors of the Tribuo protobuf files on the class path and stripped recursively.
 */
final class TribuoFingerprint {
    private static final List<String> OUTER_CLASSES = List.of(
            "org.tribuo.protos.core.TribuoCore", "org.tribuo.protos.core.TribuoCoreImpl",
            "org.tribuo.common.tree.protos.TribuoTree", "org.tribuo.regression.rtree.protos.TribuoRegressionTree",
            "org.tribuo.regression.protos.TribuoRegressionCore", "org.tribuo.classification.protos.TribuoClassificationCore",
            "org.tribuo.common.sgd.protos.TribuoSgd", "org.tribuo.common.sgd.protos.TribuoCommonSgd",
            "org.tribuo.math.protos.TribuoMath", "org.tribuo.math.protos.TribuoMathImpl",
            "org.tribuo.regression.sgd.protos.TribuoRegressionSgd", "org.tribuo.classification.sgd.protos.TribuoClassificationSgd");
    private static volatile Map<String, Descriptors.Descriptor> types;

    private TribuoFingerprint() {
    }

    static String of(ModelProto proto) {
        Message stripped = strip(proto, types());
        return Sha256.hex(stripped.toByteArray());
    }

    private static Map<String, Descriptors.Descriptor> types() {
        Map<String, Descriptors.Descriptor> t = types;
        if (t == null) {
            Map<String, Descriptors.Descriptor> found = new HashMap<>();
            Deque<Descriptors.FileDescriptor> todo = new ArrayDeque<>();
            Set<String> seen = new HashSet<>();
            for (String name : OUTER_CLASSES) {
                try {
                    Class<?> c = Class.forName(name, true, TribuoFingerprint.class.getClassLoader());
                    todo.add((Descriptors.FileDescriptor) c.getMethod("getDescriptor").invoke(null));
                } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                    // that Tribuo module is not on the class path: its models cannot be in a bundle either
                }
            }
            while (!todo.isEmpty()) {
                Descriptors.FileDescriptor f = todo.pop();
                if (!seen.add(f.getName())) {
                    continue;
                }
                Deque<Descriptors.Descriptor> msgs = new ArrayDeque<>(f.getMessageTypes());
                while (!msgs.isEmpty()) {
                    Descriptors.Descriptor d = msgs.pop();
                    found.put(d.getFullName(), d);
                    msgs.addAll(d.getNestedTypes());
                }
                todo.addAll(f.getDependencies());
            }
            t = Map.copyOf(found);
            types = t;
        }
        return t;
    }

    private static boolean isProvenance(Descriptors.Descriptor d) {
        return d.getFullName().startsWith("olcut.") && d.getName().contains("Provenance");
    }

    private static Message strip(Message m, Map<String, Descriptors.Descriptor> types) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(m.getDescriptorForType());
        for (Map.Entry<Descriptors.FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            Descriptors.FieldDescriptor f = e.getKey();
            if (f.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE && isProvenance(f.getMessageType())) {
                continue;
            }
            if (f.isRepeated()) {
                for (Object o : (List<?>) e.getValue()) {
                    b.addRepeatedField(f, value(f, o, types));
                }
            } else {
                b.setField(f, value(f, e.getValue(), types));
            }
        }
        return b.build();
    }

    private static Object value(Descriptors.FieldDescriptor f, Object o, Map<String, Descriptors.Descriptor> types) {
        if (f.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
            return o;
        }
        Message msg = (Message) o;
        Descriptors.Descriptor d = msg.getDescriptorForType();
        if (!d.getFullName().equals("google.protobuf.Any")) {
            return strip(msg, types);
        }
        String url = (String) msg.getField(d.findFieldByName("type_url"));
        ByteString bytes = (ByteString) msg.getField(d.findFieldByName("value"));
        Descriptors.Descriptor inner = types.get(url.substring(url.lastIndexOf('/') + 1));
        if (inner == null) {
            return msg; // an unknown packed type is kept as it is
        }
        try {
            Message stripped = strip(DynamicMessage.parseFrom(inner, bytes), types);
            return DynamicMessage.newBuilder(d).setField(d.findFieldByName("type_url"), url)
                    .setField(d.findFieldByName("value"), stripped.toByteString()).build();
        } catch (InvalidProtocolBufferException e) {
            return msg;
        }
    }
}
