/**
 * The {@code mlops} command ({@code java -jar mlops-cli/target/mlops.jar}): {@code server} runs an
 * MLflow-compatible tracking server over any mlops4j store; {@code experiments list} and
 * {@code runs list|show|compare} read a store, for terminals or, with {@code --json}, for scripts.
 * An application, not a library: it ships the SLF4J binding (slf4j-simple).
 */
package org.mlops4j.cli;
