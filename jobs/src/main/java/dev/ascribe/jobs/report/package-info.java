/**
 * {@code ascribe report}: a self-contained XHTML page of a run folder, a benchmark suite or a
 * sweep ({@link dev.ascribe.jobs.report.ReportJob}). Examples are shown as their data is through
 * an {@code ExampleView} per data kind (registered in {@code ExampleViews}); charts are XChart
 * PNGs beside the page.
 */
package dev.ascribe.jobs.report;
