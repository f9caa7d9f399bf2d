/**
 * Our model zoo on DJL blocks (logistic regression and ReLU MLPs), their flat parameter layout,
 * seeded initialization and dropout, saving and loading of parameters, and
 * {@link dev.ascribe.core.model.Checkpoint}: one parameter set as plain values that any thread or
 * executor can open.
 */
package dev.ascribe.core.model;
