package dev.ascribe.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * The {@code device} option, in one place: where DJL runs gradients and score products. {@code
 * auto} takes the first GPU when the PyTorch engine sees one and the CPU otherwise; {@code cpu}
 * always the CPU; {@code gpu} the first GPU, and is an error on a machine (or a CPU-only libtorch
 * build, as the one this project ships) without one. The resolved device is what every {@link
 * #manager} of this JVM allocates on, and what provenance records.
 */
public enum ComputeDevice {
  /** The first GPU if the engine sees one, else the CPU. */
  AUTO,
  /** The CPU. */
  CPU,
  /** The first GPU; an error where there is none. */
  GPU;

  /** The system property carrying the choice to every JVM of a run (driver and executors). */
  public static final String PROPERTY = "ascribe.device";

  /**
   * The choice named {@code value} ({@code auto}, {@code cpu} or {@code gpu}).
   *
   * @throws IllegalArgumentException naming the option, the value and the accepted ones
   */
  public static ComputeDevice of(String value) {
    for (ComputeDevice d : values()) {
      if (d.name().toLowerCase(Locale.ROOT).equals(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException("option device given '" + value
        + "': expected auto, cpu or gpu");
  }

  /**
   * The DJL device of this choice on an engine that sees {@code gpus} GPUs.
   *
   * @throws IllegalArgumentException for {@code gpu} when {@code gpus} is 0
   */
  public Device resolve(int gpus) {
    return switch (this) {
      case CPU -> Device.cpu();
      case AUTO -> gpus > 0 ? Device.gpu(0) : Device.cpu();
      case GPU -> {
        if (gpus < 1) {
          throw new IllegalArgumentException("option device given 'gpu': the PyTorch engine"
              + " sees no GPU on this machine (a CUDA GPU and a CUDA build of libtorch are"
              + " needed); use device=auto or device=cpu");
        }
        yield Device.gpu(0);
      }
    };
  }

  /** The DJL device of this choice on this machine's PyTorch engine. */
  public Device resolve() {
    return resolve(Engine.getEngine("PyTorch").getGpuCount());
  }

  /**
   * The choice of this JVM: the {@value #PROPERTY} system property ({@code auto} when unset),
   * resolved on this machine.
   */
  public static Device selected() {
    String choice = System.getProperty(PROPERTY, "auto");
    Resolved last = resolved;
    if (last == null || !last.choice().equals(choice)) {
      // Asked per score block: the engine is asked once per choice, not every time.
      last = new Resolved(choice, of(choice).resolve());
      resolved = last;
    }
    return last.device();
  }

  private record Resolved(String choice, Device device) {}

  private static volatile Resolved resolved;

  /** A base manager on {@link #selected()}: the managers of featurization and scoring. */
  public static ai.djl.ndarray.NDManager manager() {
    return ai.djl.ndarray.NDManager.newBaseManager(selected());
  }
}
