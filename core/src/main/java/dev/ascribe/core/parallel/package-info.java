/** Running independent indexed tasks (one per model or checkpoint) on threads of one JVM. */
package dev.ascribe.core.parallel;
