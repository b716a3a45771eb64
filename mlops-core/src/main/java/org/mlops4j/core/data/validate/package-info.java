/**
 * Reserved for data contracts inferred from a training profile and checked before training and per
 * request (expectations and validation reports). Empty in this release.
 */
package org.mlops4j.core.data.validate;
