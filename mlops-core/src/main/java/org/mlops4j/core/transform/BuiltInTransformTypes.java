package org.mlops4j.core.transform;

import org.mlops4j.core.transform.spi.TransformType;
import org.mlops4j.core.transform.spi.TransformTypeProvider;

import java.util.List;

/**
 * The names of mlops-core's seven transforms, as written since the first bundle format. Found by
 * {@link java.util.ServiceLoader}; applications do not call it.
 * {@snippet :
 * new BuiltInTransformTypes().transformTypes(); // impute, standardize, min_max, log1p, one_hot, drop, select
 * }
 */
public final class BuiltInTransformTypes implements TransformTypeProvider {

    /** For {@link java.util.ServiceLoader}. */
    public BuiltInTransformTypes() {
    }

    @Override
    public List<TransformType> transformTypes() {
        return List.of(
                TransformType.of("impute", Impute.class, Impute.Fitted.class),
                TransformType.of("standardize", Standardize.class, Standardize.Fitted.class),
                TransformType.of("min_max", MinMax.class, MinMax.Fitted.class),
                TransformType.of("log1p", Log1p.class, Log1p.Fitted.class),
                TransformType.of("one_hot", OneHot.class, OneHot.Fitted.class),
                TransformType.of("drop", Drop.class, Drop.Fitted.class),
                TransformType.of("select", Select.class, Select.Fitted.class));
    }
}
