package org.mlops4j.core.model;


import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.Objects;
import java.util.Set;

/**
 * The one way a flavor may read Java-serialized bytes from a bundle: through an {@link ObjectInputFilter}
 * allow-list of exact class names, with limits on graph depth, array length, references and stream bytes.
 * A class name outside the list is refused before its class is even looked up (no static initializer
 * runs); primitive arrays and arrays of allowed classes are allowed. Any refusal or malformed stream is a
 * {@link BundleIntegrityException} naming the bundle. mlops4j's own flavors need none of this (the
 * {@code tribuo} flavor reads protobuf); it is here for flavors that wrap a library that serializes.
 * {@snippet :
 float[] weights = SafeDeserialization.read(bytes, float[].class, Set.of(), SafeDeserialization.Limits.defaults(),
 *         "bundle models/net: weights.bin");
 * }
 */
public final class SafeDeserialization {
    private SafeDeserialization() {
    }

    /**
     * @param maxDepth      nesting depth of the object graph
     * @param maxArrayLength elements of any one array
     * @param maxReferences objects and references in the stream
     * @param maxBytes      bytes of the stream
     */
    public record Limits(long maxDepth, long maxArrayLength, long maxReferences, long maxBytes) {
        /** @return depth 20, arrays of 50 million elements, 100 000 references, 512 MiB */
        public static Limits defaults() {
            return new Limits(20, 50_000_000, 100_000, 512L << 20);
        }
    }

    /**
     * @param bytes    serialized bytes
     * @param expected the type of the top-level object
     * @param allowed  exact names of the classes the stream may contain ({@code java.lang.String} etc. included
     *                 only when listed; primitive arrays are always allowed)
     * @param limits   graph limits
     * @param where    the bundle and file, for messages
     * @param <T>      the expected type
     * @return the object
     * @throws BundleIntegrityException when the stream names another class, passes a limit, or is malformed
     */
    public static <T> T read(byte[] bytes, Class<T> expected, Set<String> allowed, Limits limits, String where) {
        Objects.requireNonNull(bytes, "bytes");
        Set<String> names = Set.copyOf(allowed);
        String[] refused = new String[1];
        ObjectInputFilter filter = info -> {
            if (info.depth() > limits.maxDepth() || info.references() > limits.maxReferences() || info.streamBytes() > limits.maxBytes()
                    || info.arrayLength() > limits.maxArrayLength()) {
                refused[0] = "a graph past its limits (depth " + info.depth() + ", references " + info.references() + ", bytes "
                        + info.streamBytes() + ", array length " + info.arrayLength() + "; limits " + limits + ")";
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.isPrimitive() || names.contains(c.getName())) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            refused[0] = "class " + c.getName();
            return ObjectInputFilter.Status.REJECTED;
        };
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                String n = desc.getName();
                String component = n.replaceFirst("^\\[+L(.*);$", "$1");
                if (!n.matches("^\\[+[ZBCSIJFD]$") && !names.contains(component)) {
                    refused[0] = "class " + n;
                    throw new InvalidClassException(n, "not on the allow-list");
                }
                return super.resolveClass(desc);
            }

            @Override
            protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
                refused[0] = "a proxy class";
                throw new InvalidClassException("proxy classes are never deserialized from a bundle");
            }
        }) {
            in.setObjectInputFilter(filter);
            Object o = in.readObject();
            if (!expected.isInstance(o)) {
                throw new BundleIntegrityException(where + ": expected a serialized " + expected.getName() + " but found "
                        + (o == null ? "null" : o.getClass().getName()));
            }
            if (in.read() != -1) {
                throw new BundleIntegrityException(where + ": bytes follow the serialized object; refusing it");
            }
            return expected.cast(o);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (e instanceof BundleIntegrityException b) {
                throw b;
            }
            throw new BundleIntegrityException(where + ": refused Java-serialized data" + (refused[0] == null ? ": " + e.getMessage()
                    : " naming " + refused[0] + ", which is not allowed") + "; allowed classes are " + names.stream().sorted().toList(), e);
        }
    }
}
