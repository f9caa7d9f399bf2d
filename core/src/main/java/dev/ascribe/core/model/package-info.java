/**
 * Our model zoo on DJL blocks (logistic regression and ReLU MLPs), their flat parameter layout,
 * seeded initialization and dropout, and saving and loading of parameters.
 */
package dev.ascribe.core.model;
