package dev.ascribe.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per JVM which engine and device the models run on: the one line that replaces DJL's
 * repeated warnings about a CUDA runtime without a GPU (filtered in conf/log4j2.properties).
 */
public final class EngineDevice {
  private static final Logger LOG = LoggerFactory.getLogger(EngineDevice.class);
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  private EngineDevice() {}

  /**
   * The engine and the device this JVM's models run on ({@link ComputeDevice#selected()}, the
   * one place of the choice), e.g. {@code PyTorch 2.7.1 on cpu()}.
   */
  public static String describe() {
    Engine engine = Engine.getInstance();
    Device device = ComputeDevice.selected();
    return engine.getEngineName() + " " + engine.getVersion() + " on " + device
        + " (GPUs visible: " + engine.getGpuCount() + ")";
  }

  /** Logs {@link #describe()} at INFO, the first time only. */
  public static void logOnce() {
    if (LOGGED.compareAndSet(false, true)) {
      LOG.info("engine: {}", describe());
    }
  }
}
