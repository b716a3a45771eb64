/**
 * Implementation details shared by the packages of mlops-tracking: MLflow's REST wire format, which the
 * client store ({@code tracking.mlflow}) and the server ({@code tracking.server}) both speak. Not an API:
 * anything here may change in any release.
 */
package org.mlops4j.tracking.internal;
