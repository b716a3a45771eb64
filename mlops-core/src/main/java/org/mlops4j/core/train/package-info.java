/**
 * Training: the open {@link org.mlops4j.core.train.Trainer} interface, the built-in trainers
 * ({@link org.mlops4j.core.train.RandomForest}, {@link org.mlops4j.core.train.DecisionTree},
 * {@link org.mlops4j.core.train.Linear}) with typed hyperparameters, and
 * {@link org.mlops4j.core.train.FittedChain}, the leak-free fit of transforms plus model.
 */
package org.mlops4j.core.train;
