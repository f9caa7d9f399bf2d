package dev.ascribe.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The exit statuses and the lines a failed command prints (README, Exit status). */
class MainReportTest {
  private static String[] report(Exception e, String log) {
    StringWriter text = new StringWriter();
    int status = Main.report(e, new PrintWriter(text, true), log);
    return new String[] {String.valueOf(status), text.toString()};
  }

  @Test
  void aFailurePrintsTheErrorAndWhereTheFullLogIsNeverTheStackTrace() {
    String[] r = report(new IllegalStateException("stage died",
        new RuntimeException("executor lost")), "/tmp/ascribe.log");
    assertEquals("1", r[0]);
    assertEquals("error: java.lang.IllegalStateException: stage died (caused by"
        + " java.lang.RuntimeException: executor lost)\nfull log: /tmp/ascribe.log\n", r[1]);
  }

  @Test
  void badInputIsStatus2AndNamesTheLogOnlyWhenItCameFromDeeper() {
    String[] direct = report(new IllegalArgumentException("option x given 1: bad"), "/l");
    assertEquals("2", direct[0]);
    assertEquals("error: option x given 1: bad\n", direct[1]);
    String[] wrapped = report(new RuntimeException("Job aborted",
        new IllegalArgumentException("t: row id=7 has a non-finite feature")), "/l");
    assertEquals("2", wrapped[0]);
    assertEquals("error: t: row id=7 has a non-finite feature\nfull log: /l\n", wrapped[1]);
  }

  @Test
  void aHeldRunFolderIsStatus3() {
    String[] r = report(new RuntimeException(
        new dev.ascribe.jobs.pipeline.RunLock.Held("out is in use")), null);
    assertEquals("3", r[0]);
    assertEquals("error: out is in use\n", r[1]);
  }
}
