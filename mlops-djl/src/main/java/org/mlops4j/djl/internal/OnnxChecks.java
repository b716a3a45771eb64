package org.mlops4j.djl.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Parses ONNX files and deals with external data: every tensor (initializers, attributes, subgraphs) whose
 * data lives in another file either comes into the model (when the file lies inside the model's directory)
 * or is refused (a path outside it, an absolute path, a link that leads outside). Internal: not an API.
 *
 * <pre>{@code
 * ModelProto m = OnnxChecks.parse(Files.readAllBytes(file), file.toString());
 * if (!OnnxChecks.externalLocations(m).isEmpty()) {
 *     m = OnnxChecks.inline(m, file.getParent(), file.toString());  // refuses data outside that directory
 * }
 * }</pre>
 */
public final class OnnxChecks {
    private OnnxChecks() {
    }

    /**
     * @param bytes the file's bytes
     * @param where the file, for messages
     * @return the parsed model
     * @throws IllegalArgumentException when the bytes are not an ONNX model
     */
    public static ModelProto parse(byte[] bytes, String where) {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(where + " is not an ONNX model (protobuf ModelProto): " + e.getMessage(), e);
        }
        if (!m.hasGraph() || m.getGraph().getNodeCount() == 0) {
            throw new IllegalArgumentException(where + " is not an ONNX model: it has no graph nodes"
                    + (bytes.length == 0 ? " (the file is empty)" : " (" + bytes.length + " bytes)"));
        }
        if (m.getIrVersion() < 3) {
            throw new IllegalArgumentException(where + " is not an ONNX model mlops4j reads: IR version " + m.getIrVersion() + " (3 or newer expected)");
        }
        return m;
    }

    /**
     * @param m a model
     * @return the external-data locations it references, in graph order
     */
    public static List<String> externalLocations(ModelProto m) {
        List<String> out = new ArrayList<>();
        rewrite(m.getGraph(), t -> {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                out.add(location(t));
            }
            return t;
        });
        return out;
    }

    /**
     * Brings external data into the model.
     *
     * @param m     the model
     * @param dir   the model file's directory: external files must lie inside it
     * @param where the file, for messages
     * @return the model with every tensor's data inline
     * @throws IllegalArgumentException when a reference points outside {@code dir}, is absolute or cannot be read
     */
    public static ModelProto inline(ModelProto m, Path dir, String where) {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot resolve its directory " + dir + ": " + e.getMessage(), e);
        }
        GraphProto g = rewrite(m.getGraph(), t -> {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                return t;
            }
            String loc = location(t);
            Path p = Path.of(loc);
            Path resolved = root.resolve(p).normalize();
            if (p.isAbsolute() || loc.contains("\\") || !resolved.startsWith(root)) {
                throw new IllegalArgumentException(where + ": tensor '" + t.getName() + "' keeps its data in '" + loc
                        + "', outside the model's directory " + root + "; external data must lie beside the model");
            }
            Path real;
            try {
                real = resolved.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": tensor '" + t.getName() + "' keeps its data in '" + loc
                        + "', which does not exist (" + resolved + ")", e);
            }
            if (!real.startsWith(root) || Files.isSymbolicLink(resolved) && !real.startsWith(root)) {
                throw new IllegalArgumentException(where + ": tensor '" + t.getName() + "' keeps its data in '" + loc
                        + "', a link that leads outside the model's directory (" + real + ")");
            }
            long offset = longEntry(t, "offset", 0);
            long length = longEntry(t, "length", -1);
            byte[] data;
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                if (in.skip(offset) != offset) {
                    throw new IllegalArgumentException(where + ": '" + loc + "' is shorter than the offset " + offset + " of tensor '" + t.getName() + "'");
                }
                data = length < 0 ? in.readAllBytes() : in.readNBytes(Math.toIntExact(length));
                if (length >= 0 && data.length != length) {
                    throw new IllegalArgumentException(where + ": '" + loc + "' holds " + data.length + " bytes from offset " + offset
                            + " but tensor '" + t.getName() + "' needs " + length);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": cannot read '" + loc + "': " + e.getMessage(), e);
            }
            return t.toBuilder().clearExternalData().setDataLocation(TensorProto.DataLocation.DEFAULT)
                    .setRawData(ByteString.copyFrom(data)).build();
        });
        return m.toBuilder().setGraph(g).build();
    }

    private static String location(TensorProto t) {
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (e.getKey().equals("location")) {
                return e.getValue();
            }
        }
        return "";
    }

    private static long longEntry(TensorProto t, String key, long otherwise) {
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (e.getKey().equals(key)) {
                try {
                    return Long.parseLong(e.getValue());
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("tensor '" + t.getName() + "': external-data " + key + " '" + e.getValue() + "' is not a number", ex);
                }
            }
        }
        return otherwise;
    }

    private static GraphProto rewrite(GraphProto g, UnaryOperator<TensorProto> f) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getInitializerCount(); i++) {
            b.setInitializer(i, f.apply(b.getInitializer(i)));
        }
        for (int i = 0; i < b.getNodeCount(); i++) {
            NodeProto.Builder n = b.getNode(i).toBuilder();
            for (int a = 0; a < n.getAttributeCount(); a++) {
                AttributeProto.Builder attr = n.getAttribute(a).toBuilder();
                if (attr.hasT()) {
                    attr.setT(f.apply(attr.getT()));
                }
                for (int k = 0; k < attr.getTensorsCount(); k++) {
                    attr.setTensors(k, f.apply(attr.getTensors(k)));
                }
                if (attr.hasG()) {
                    attr.setG(rewrite(attr.getG(), f));
                }
                for (int k = 0; k < attr.getGraphsCount(); k++) {
                    attr.setGraphs(k, rewrite(attr.getGraphs(k), f));
                }
                n.setAttribute(a, attr);
            }
            b.setNode(i, n);
        }
        return b.build();
    }
}
