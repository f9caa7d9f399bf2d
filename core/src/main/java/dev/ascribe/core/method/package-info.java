/**
 * The attribution methods under one API ({@link dev.ascribe.core.method.Attributor}: cache, then
 * attribute): TRAK, TracIn, Grad-Dot, Grad-Cos, IF-FIM, the Hessian influence functions, RPS and
 * LoGra, each a {@link dev.ascribe.core.method.Recipe} for the one
 * {@link dev.ascribe.core.method.InnerProductAttributor} template, with its options, and the
 * {@link dev.ascribe.core.method.MethodSpec} that ships a method and its options to executors.
 */
package dev.ascribe.core.method;
