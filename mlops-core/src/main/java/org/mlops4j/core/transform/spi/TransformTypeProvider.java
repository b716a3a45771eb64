package org.mlops4j.core.transform.spi;

import java.util.List;

/**
 * Names transform types for the files mlops4j writes. Found with {@link java.util.ServiceLoader}: list
 * the implementing class in {@code META-INF/services/org.mlops4j.core.transform.spi.TransformTypeProvider}.
 * mlops-core's own provider names the seven built-ins; a name given twice on the class path is an error
 * at first use, naming both classes.
 * {@snippet :
 * public final class ClipTypes implements TransformTypeProvider {
 *     public List<TransformType> transformTypes() {
 *         return List.of(TransformType.of("clip", Clip.class, Clip.Fitted.class));
 *     }
 * }
 * }
 */
@FunctionalInterface
public interface TransformTypeProvider {

    /** @return the types this module defines */
    List<TransformType> transformTypes();
}
