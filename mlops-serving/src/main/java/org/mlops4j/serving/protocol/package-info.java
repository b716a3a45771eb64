/**
 * Request codecs and limits: the Open Inference Protocol V2 ({@link org.mlops4j.serving.protocol.OipCodec}),
 * MLflow's scoring protocol ({@link org.mlops4j.serving.protocol.MlflowCodec}), rows for people
 * ({@link org.mlops4j.serving.protocol.RowsCodec}), all decoding into a {@link org.mlops4j.serving.protocol.Batch}
 * within {@link org.mlops4j.serving.protocol.Limits}; every refusal a {@link org.mlops4j.serving.protocol.RequestException}.
 */
package org.mlops4j.serving.protocol;
