/**
 * Declared options: each configurable method option's name, value type, default and one-line doc
 * ({@link dev.ascribe.core.option.OptionSpec}), the one place its default is written. The method
 * registry lists them, the options classes fill their defaults from them, and the command line's
 * reference configuration and the Spark params are derived from them.
 */
package dev.ascribe.core.option;
