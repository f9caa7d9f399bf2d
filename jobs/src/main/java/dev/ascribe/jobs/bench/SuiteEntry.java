package dev.ascribe.jobs.bench;

import java.util.List;

/**
 * One row of a benchmark suite: a method on a setting with its options.
 *
 * @param label the row's name (e.g. TRAK-10)
 * @param method the method option
 * @param sets extra {@code --set key=value} options
 * @param published the published figures to compare with (dattri's, read off its charts), such
 *     as {@code lds} and {@code auc}; empty when there are none
 * @param notRun why the row is not run on this setting (suite key {@code not_run}, e.g. a method
 *     written for other models), shown as its status; empty for a row that runs
 */
public record SuiteEntry(String label, String method, List<String> sets,
    java.util.Map<String, Double> published, String notRun) {}
