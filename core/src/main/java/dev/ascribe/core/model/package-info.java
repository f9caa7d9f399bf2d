/**
 * Models, behind two interfaces: {@link dev.ascribe.core.model.ModelSpec} (what a model is, as
 * plain values: widths, the flat parameter {@link dev.ascribe.core.model.ParameterBlock layout},
 * the {@link dev.ascribe.core.model.TappedLayer tapped layers}) and
 * {@link dev.ascribe.core.model.Model} (live parameters and one functional forward pass that
 * records a {@link dev.ascribe.core.model.Tap} per tapped layer). Kinds are registered in
 * {@link dev.ascribe.core.model.ModelKind}: the feed-forward
 * {@link dev.ascribe.core.model.FeedForwardSpec} (logistic regression and ReLU MLPs) with its
 * {@link dev.ascribe.core.model.Network}, and imported TorchScript modules,
 * {@link dev.ascribe.core.model.TorchScriptSpec} with its
 * {@link dev.ascribe.core.model.TorchScriptModel} (no taps; the module owns its parameters). Also
 * here: seeded initialization and dropout, the run
 * folder's {@link dev.ascribe.core.model.ModelStore}, and
 * {@link dev.ascribe.core.model.Checkpoint}: one parameter set as plain values that any thread or
 * executor can open.
 */
package dev.ascribe.core.model;
