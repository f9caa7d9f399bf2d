package dev.ascribe.core.provenance;

import ai.djl.engine.Engine;
import dev.ascribe.core.linalg.Lapack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Software versions for provenance: Ascribe (and its git revision when run from a checkout), Java,
 * OS, architecture, DJL and its engine, OpenBLAS (build, CPU kernels, threads), plus anything the Spark layer registers.
 */
public final class Versions {
  private static final Map<String, String> EXTRA = new ConcurrentHashMap<>();

  private Versions() {}

  /** Lets a layer above core add its versions (e.g. "spark"). */
  public static void register(String name, String version) {
    EXTRA.put(name, version);
  }

  /** All known versions, in a stable order. */
  public static Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ascribe", ascribeVersion());
    m.put("git_revision", gitRevision());
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("arch", System.getProperty("os.arch"));
    m.put("djl", Engine.getDjlVersion());
    Engine engine = Engine.getInstance();
    m.put("engine", engine.getEngineName() + " " + engine.getVersion());
    m.put("lapack", Lapack.describe());
    new java.util.TreeMap<>(EXTRA).forEach(m::put);
    return m;
  }

  /** The version Maven filtered into ascribe-version.properties. */
  public static String ascribeVersion() {
    try (InputStream in = Versions.class.getResourceAsStream("/ascribe-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** HEAD of the checkout named by -Dascribe.home, or "unknown" outside a git checkout. */
  public static String gitRevision() {
    String home = System.getProperty("ascribe.home");
    // .git is a folder in a clone and a file in a linked worktree (git worktree add).
    if (home == null || !Files.exists(Path.of(home, ".git"))) {
      return "unknown";
    }
    try {
      Process p = new ProcessBuilder("git", "-C", home, "rev-parse", "HEAD")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown (interrupted)";
    }
  }
}
