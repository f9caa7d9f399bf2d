package dev.ascribe.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
  @TempDir Path dir;

  @Test
  void aSecondRunIsRefusedWithTheHolderUntilTheFirstReleases() throws Exception {
    long pid = ProcessHandle.current().pid();
    try (RunLock first = RunLock.acquire(dir)) {
      assertTrue(Files.exists(dir.resolve(RunLock.FILE)));
      RunLock.Held e = assertThrows(RunLock.Held.class, () -> RunLock.acquire(dir));
      String host = InetAddress.getLocalHost().getHostName();
      assertTrue(e.getMessage().startsWith(dir + " is in use by another Ascribe run (host " + host
          + ", pid " + pid + ", started "), e.getMessage());
      assertTrue(e.getMessage().contains(first.holder().started()), e.getMessage());
    }
    assertFalse(Files.exists(dir.resolve(RunLock.FILE)), "released on close");
    RunLock.acquire(dir).close();
  }

  @Test
  void theStaleLockOfADeadProcessOnThisHostIsTaken() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    writeLock(InetAddress.getLocalHost().getHostName(), gone.pid(), "2026-01-01T00:00:00Z");
    try (RunLock lock = RunLock.acquire(dir)) {
      assertTrue(Files.readString(dir.resolve(RunLock.FILE))
          .contains("\"pid\":" + ProcessHandle.current().pid()));
    }
  }

  @Test
  void aLockWhosePidNowBelongsToAnotherProcessIsStale() throws Exception {
    // This JVM's pid, but a start time it does not have: a reused pid.
    writeLock(InetAddress.getLocalHost().getHostName(), ProcessHandle.current().pid(),
        "2000-01-01T00:00:00Z");
    RunLock.acquire(dir).close();
  }

  @Test
  void aLockOfAnotherHostIsNeverTakenAndAnUnreadableOneIsReported() throws Exception {
    writeLock("some-other-host", 1, "2026-01-01T00:00:00Z");
    RunLock.Held e = assertThrows(RunLock.Held.class, () -> RunLock.acquire(dir));
    assertTrue(e.getMessage().contains("host some-other-host, pid 1"), e.getMessage());
    Files.writeString(dir.resolve(RunLock.FILE), "");
    e = assertThrows(RunLock.Held.class, () -> RunLock.acquire(dir));
    assertTrue(e.getMessage().contains("exists but records no holder (empty)"), e.getMessage());
  }

  @Test
  void aLockOfAnotherHostWhoseHeartbeatStoppedIsTaken() throws Exception {
    writeLock("some-other-host", 1, "2026-01-01T00:00:00Z");
    Path file = dir.resolve(RunLock.FILE);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()
        - RunLock.STALE_AFTER.toMillis() - 1000));
    try (RunLock lock = RunLock.acquire(dir)) {
      assertTrue(Files.readString(file).contains("\"pid\":" + ProcessHandle.current().pid()));
    }
  }

  @Test
  void aWaitingRunGetsTheLockWhenTheHolderReleasesOrGivesUpAfterItsTimeout() throws Exception {
    RunLock first = RunLock.acquire(dir);
    long start = System.nanoTime();
    RunLock.Held e = assertThrows(RunLock.Held.class,
        () -> RunLock.acquire(dir, Duration.ofMillis(300)));
    assertTrue(System.nanoTime() - start >= 300_000_000L, "waited the timeout");
    assertTrue(e.getMessage().contains("is in use by another Ascribe run"), e.getMessage());
    Thread release = new Thread(() -> {
      try {
        Thread.sleep(500);
        first.close();
      } catch (Exception failed) {
        throw new IllegalStateException(failed);
      }
    });
    release.start();
    try (RunLock second = RunLock.acquire(dir, Duration.ofSeconds(30))) {
      assertTrue(Files.exists(dir.resolve(RunLock.FILE)));
    }
    release.join();
  }

  private void writeLock(String host, long pid, String started) throws Exception {
    Files.writeString(dir.resolve(RunLock.FILE),
        "{\"host\":\"" + host + "\",\"pid\":" + pid + ",\"started\":\"" + started + "\"}");
  }
}
