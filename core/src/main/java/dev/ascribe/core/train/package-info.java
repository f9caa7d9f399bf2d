/** Training: SGD with momentum over our networks, deterministic and safe to run in many threads. */
package dev.ascribe.core.train;
