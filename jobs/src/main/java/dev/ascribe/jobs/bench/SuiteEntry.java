package dev.ascribe.jobs.bench;

import java.util.List;

/**
 * One row of a benchmark suite: a method on a setting with its options.
 *
 * @param label the row's name (e.g. TRAK-10)
 * @param method the method option
 * @param sets extra {@code --set key=value} options
 */
public record SuiteEntry(String label, String method, List<String> sets) {}
