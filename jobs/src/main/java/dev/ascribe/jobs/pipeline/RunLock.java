package dev.ascribe.jobs.pipeline;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.ascribe.core.storage.Folder;
import dev.ascribe.udf.io.HadoopFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per output folder: a lock file {@value #FILE} in the folder, created only if
 * absent, holding who took it (host, pid, the process's start time). Two runs writing one folder
 * would interleave their tables (duplicate rows); the second stops at once with {@link Held}.
 *
 * <p>Works on any Hadoop file system: the file is made with {@code create(path, overwrite=false)},
 * which HDFS does atomically. On the local file system it is made with {@link
 * Files#createFile} (O_EXCL) instead, because Hadoop's local {@code create} checks and creates in
 * two steps.
 *
 * <p>While held, the lock file's modification time is renewed every {@link #HEARTBEAT} (a
 * heartbeat, {@link FileSystem#setTimes}). A lock is stale, and is removed and taken with a log
 * line saying so, when its holder is a process of this host that no longer runs (its pid is gone,
 * or now belongs to a process started at another time), or when its heartbeat is older than
 * {@link #STALE_AFTER} (a run killed on another host, whose processes we cannot see).
 *
 * <p>A run that finds the lock held stops at once ({@link Held}), or with a wait ({@link
 * #acquire(Path, Configuration, Duration)}) polls until the lock is free or the wait is over.
 *
 * <p>Usage: {@code try (RunLock lock = RunLock.acquire(folder)) { ... }}; closing removes the file.
 */
public final class RunLock implements AutoCloseable {
  /** The lock file's name inside the locked folder. */
  public static final String FILE = "_ascribe.lock";

  /** How often a held lock's modification time is renewed. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(30);
  /** A lock whose heartbeat is older than this is stale (ten heartbeats missed). */
  public static final Duration STALE_AFTER = HEARTBEAT.multipliedBy(10);
  /** How often a waiting run looks at the lock again. */
  static final Duration POLL = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
  private static final Gson GSON = new Gson();

  private final FileSystem fs;
  private final Path file;
  private final Holder holder;
  private final ScheduledExecutorService heartbeat;
  private boolean released;

  /**
   * Who holds a lock.
   *
   * @param host the host name of the holding process
   * @param pid its process id
   * @param started when that process started (ISO-8601), which tells it from a later process that
   *     reuses the pid
   */
  public record Holder(String host, long pid, String started) {
    /** This process. */
    static Holder current() {
      ProcessHandle self = ProcessHandle.current();
      return new Holder(hostName(), self.pid(), startOf(self).map(Instant::toString).orElse(""));
    }

    /** True if this is a process of this host that is no longer running. */
    boolean deadOnThisHost() {
      if (!host.equals(hostName())) {
        return false;
      }
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isEmpty() || !process.get().isAlive()) {
        return true;
      }
      Optional<String> start = startOf(process.get()).map(Instant::toString);
      return start.isPresent() && !started.isEmpty() && !start.get().equals(started);
    }

    @Override
    public String toString() {
      return "host " + host + ", pid " + pid + ", started " + started;
    }
  }

  /** Another run holds the lock of the folder. */
  public static final class Held extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public Held(String message) {
      super(message);
    }
  }

  private RunLock(FileSystem fs, Path file, Holder holder) {
    this.fs = fs;
    this.file = file;
    this.holder = holder;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "run-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long period = HEARTBEAT.toMillis();
    heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
  }

  /** Renews the lock file's modification time; a failure is logged (the lock may age). */
  private void beat() {
    try {
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("run lock: cannot renew the heartbeat of {} ({}): another host may judge it stale"
          + " after {} s", file, e.toString(), STALE_AFTER.toSeconds());
    }
  }

  /** Locks a local folder (which must exist). */
  public static RunLock acquire(java.nio.file.Path folder) throws IOException {
    return acquire(folder, Duration.ZERO);
  }

  /**
   * Locks a local folder (which must exist), waiting up to {@code wait} for a running holder to
   * finish.
   *
   * @throws Held if the lock is still held when the wait is over
   */
  public static RunLock acquire(java.nio.file.Path folder, Duration wait) throws IOException {
    return waitFor(new Path(folder.toAbsolutePath().toUri()), new Configuration(),
        folder.toString(), wait);
  }

  /**
   * Locks a folder (which must exist) on the local disk or, for a {@link HadoopFolder}, on its
   * Hadoop file system, waiting up to {@code wait} for a running holder to finish.
   *
   * @throws Held if the lock is still held when the wait is over
   */
  public static RunLock acquire(Folder folder, Duration wait) throws IOException {
    if (folder instanceof HadoopFolder remote) {
      return waitFor(remote.path(), remote.fileSystem().getConf(), folder.toString(), wait);
    }
    return acquire(folder.local(), wait);
  }

  /**
   * Locks a folder on any Hadoop file system, waiting up to {@code wait} for a running holder.
   *
   * @throws Held if the lock is still held when the wait is over
   */
  public static RunLock acquire(Path folder, Configuration conf, Duration wait)
      throws IOException {
    return waitFor(folder, conf, folder.toString(), wait);
  }

  private static RunLock waitFor(Path folder, Configuration conf, String shown, Duration wait)
      throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean said = false;
    while (true) {
      try {
        return acquire(folder, conf, shown);
      } catch (Held e) {
        if (System.nanoTime() >= deadline) {
          throw said ? new Held(e.getMessage() + " (waited " + wait.toSeconds() + " s, the"
              + " --wait-timeout)") : e;
        }
        if (!said) {
          LOG.info("run lock: waiting up to {} s: {}", wait.toSeconds(), e.getMessage());
          said = true;
        }
        try {
          Thread.sleep(Math.min(POLL.toMillis(),
              Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new Held(shown + ": interrupted while waiting for the run lock");
        }
      }
    }
  }

  /**
   * Locks a folder on any Hadoop file system (which must exist).
   *
   * @throws Held if a running process holds it, or its holder record cannot be read
   * @throws IOException if the lock file cannot be written
   */
  public static RunLock acquire(Path folder, Configuration conf) throws IOException {
    return acquire(folder, conf, folder.toString());
  }

  /** @param shown the folder as the user gave it, for messages */
  private static RunLock acquire(Path folder, Configuration conf, String shown)
      throws IOException {
    FileSystem fs = folder.getFileSystem(conf);
    if (fs instanceof LocalFileSystem local) {
      fs = local.getRaw(); // no .crc file beside the lock
    }
    Path file = new Path(folder, FILE);
    String shownFile = shown + "/" + FILE;
    Holder me = Holder.current();
    // Two tries: the second after removing a stale lock.
    for (int attempt = 0; attempt < 2; attempt++) {
      if (createIfAbsent(fs, file, GSON.toJson(me).getBytes(StandardCharsets.UTF_8))) {
        return new RunLock(fs, file, me);
      }
      Long beat = heartbeatAge(fs, file);
      if (beat == null) {
        continue; // released between our create and our look
      }
      if (beat > STALE_AFTER.toMillis()) {
        LOG.info("run lock: removing the stale lock {}: its heartbeat is {} s old (more than {}"
            + " s: its run was killed)", shownFile, beat / 1000, STALE_AFTER.toSeconds());
        fs.delete(file, false);
        continue;
      }
      Holder other = read(fs, file, shownFile);
      if (other == null) {
        continue; // released between our create and our read
      }
      if (!other.deadOnThisHost()) {
        throw new Held(shown + " is in use by another Ascribe run (" + other + "; lock file "
            + shownFile + "): wait for it to finish, or use another --out. If that process is gone,"
            + " delete the lock file");
      }
      LOG.info("run lock: removing the stale lock {} of a process that no longer runs ({})",
          shownFile, other);
      fs.delete(file, false);
    }
    throw new Held(shown + ": the lock file " + shownFile + " keeps reappearing: another run is"
        + " starting in this folder; use another --out");
  }

  /** Who holds this lock (this process). */
  public Holder holder() {
    return holder;
  }

  /** Removes the lock file (once). */
  @Override
  public void close() throws IOException {
    if (!released) {
      released = true;
      heartbeat.shutdownNow();
      fs.delete(file, false);
    }
  }

  /** Milliseconds since the lock file's last heartbeat, or null if it is gone. */
  private static Long heartbeatAge(FileSystem fs, Path file) throws IOException {
    try {
      return System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime();
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  private static boolean createIfAbsent(FileSystem fs, Path file, byte[] content)
      throws IOException {
    if (fs instanceof RawLocalFileSystem) {
      java.nio.file.Path local = java.nio.file.Path.of(file.toUri());
      try {
        Files.createFile(local);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
      Files.write(local, content);
      return true;
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** The holder recorded in {@code file}, or null if the file is gone. */
  private static Holder read(FileSystem fs, Path file, String shownFile) throws IOException {
    String text;
    try (FSDataInputStream in = fs.open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
    try {
      Map<?, ?> m = GSON.fromJson(text, Map.class);
      if (m != null && m.get("host") instanceof String host && m.get("pid") instanceof Number pid
          && m.get("started") instanceof String started) {
        return new Holder(host, pid.longValue(), started);
      }
    } catch (JsonParseException e) {
      // Fall through: reported below with the file's content.
    }
    // Being written by a run that has just created it, or damaged: not ours to remove.
    throw new Held(shownFile + " exists but records no holder (" + (text.isEmpty() ? "empty"
        : "\"" + text.strip() + "\"") + "): another run may be starting; if none is, delete it");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    }
  }

  private static Optional<Instant> startOf(ProcessHandle process) {
    return process.info().startInstant();
  }
}
