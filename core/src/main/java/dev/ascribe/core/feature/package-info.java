/**
 * Feature maps: how a batch's per-example gradients become feature rows (whole, projected,
 * per-layer Kronecker, a layer block), the {@link dev.ascribe.core.feature.Featurizer} that runs
 * them batch by batch, and the {@link dev.ascribe.core.feature.FeatureMatrix} they fill. Step one
 * of the featurize → precondition → inner-product template.
 */
package dev.ascribe.core.feature;
