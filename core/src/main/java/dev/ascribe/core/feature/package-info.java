/**
 * Feature maps: how a batch's per-example gradients become feature rows, the {@link
 * dev.ascribe.core.feature.Featurizer} that runs them batch by batch, and the {@link
 * dev.ascribe.core.feature.FeatureMatrix} they fill. Step one of the featurize → precondition →
 * inner-product template.
 *
 * <ul>
 *   <li>{@link dev.ascribe.core.feature.GradientMap}: what every map is (width, session,
 *       provenance).
 *   <li>{@link dev.ascribe.core.feature.FeatureMapKind}: the maps, chosen by option independently of
 *       the method: {@code whole} ({@link dev.ascribe.core.feature.WholeGradients}, every
 *       parameter's gradient, projected or not), {@code kronecker} ({@link
 *       dev.ascribe.core.feature.KroneckerGradients}, per linear layer (P_out δ) ⊗ (P_in ã)) and
 *       {@code layers} ({@link dev.ascribe.core.feature.LayerBlockGradients}, a block of layers
 *       from one on, unprojected).
 *   <li>{@link dev.ascribe.core.feature.FeatureMapOptions}: the kind and what it needs
 *       (projection, side projections and dimensions, first layer).
 *   <li>{@link dev.ascribe.core.feature.FeatureMaps}: the one factory, options + architecture +
 *       checkpoint index to a map; every method gets its map here, and projections come from
 *       {@link dev.ascribe.core.project.Projection#of}. Whole gradients under {@code
 *       projection.kind = factorized} are Kronecker features with side dimensions from {@link
 *       dev.ascribe.core.feature.FactorizedDims}, followed by an SJLT to k ({@link
 *       dev.ascribe.core.feature.ProjectedGradients}, any map's rows projected once more).
 * </ul>
 *
 * <p>A new map is one class implementing {@code GradientMap}, one {@code FeatureMapKind} constant
 * and one case in {@code FeatureMaps.create} (plus a {@code FeatureMapOptions} field if it needs a
 * new option).
 */
package dev.ascribe.core.feature;
