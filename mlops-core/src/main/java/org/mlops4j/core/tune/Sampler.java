package org.mlops4j.core.tune;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses the next configuration from the trials so far: {@link Samplers#grid()}, {@link Samplers#random()}
 * or {@link Samplers#tpe()}. A sampler is an immutable description; the study passes its own seeded random
 * source, so the same seed gives the same sequence of trials (with one worker).
 * {@snippet :
 * Sampler tpe = Samplers.tpe().multivariate();
 * }
 */
public interface Sampler {

    /**
     * @param space     the space
     * @param trials    every trial so far, running ones included (numbers ascending)
     * @param direction better low or high
     * @param random    the study's random source
     * @return the next configuration (values of the parameters in use), or null when the sampler has no more
     */
    Map<String, Object> sample(Space<?> space, List<Trial> trials, Direction direction, SplittableRandom random);

    /** @return a short name for run records ({@code tpe}) */
    String name();
}
