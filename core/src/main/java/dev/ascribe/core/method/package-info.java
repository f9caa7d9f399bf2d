/**
 * The attribution methods under one API ({@link dev.ascribe.core.method.Attributor}: cache, then
 * attribute): TRAK, TracIn, Grad-Dot, Grad-Cos, IF-FIM, the Hessian influence functions, RPS and
 * LoGra, each a {@link dev.ascribe.core.method.Recipe} for the one
 * {@link dev.ascribe.core.method.InnerProductAttributor} template, with its options; the
 * registry {@link dev.ascribe.core.method.Method} that holds every fact about each method (name,
 * default λ, checkpoint rule, preconditioning, options), so that a new method is one constant
 * there; and the {@link dev.ascribe.core.method.MethodSpec} that ships a method and its parsed
 * options to executors.
 */
package dev.ascribe.core.method;
