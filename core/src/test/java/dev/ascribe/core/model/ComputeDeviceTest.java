package dev.ascribe.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** The device choice: auto follows the GPUs seen, gpu without one is a clear error. */
class ComputeDeviceTest {
  @Test
  void autoTakesTheFirstGpuWhenThereIsOneAndTheCpuOtherwise() {
    assertEquals(Device.cpu(), ComputeDevice.AUTO.resolve(0));
    assertEquals(Device.gpu(0), ComputeDevice.AUTO.resolve(2));
    assertEquals(Device.cpu(), ComputeDevice.CPU.resolve(2));
    assertEquals(Device.gpu(0), ComputeDevice.GPU.resolve(1));
  }

  @Test
  void gpuWithoutOneAndUnknownNamesAreErrorsNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ComputeDevice.GPU.resolve(0));
    assertTrue(e.getMessage().startsWith("option device given 'gpu': the PyTorch engine sees no"
        + " GPU"), e.getMessage());
    assertEquals("option device given 'tpu': expected auto, cpu or gpu",
        assertThrows(IllegalArgumentException.class, () -> ComputeDevice.of("tpu"))
            .getMessage());
    assertEquals(ComputeDevice.GPU, ComputeDevice.of("gpu"));
  }

  @Test
  void onThisCpuOnlyEngineAutoIsTheCpuAndGpuFails() {
    // The project ships the CPU build of libtorch: the engine sees no GPU here.
    assertEquals(Device.cpu(), ComputeDevice.AUTO.resolve());
    assertThrows(IllegalArgumentException.class, ComputeDevice.GPU::resolve);
  }
}
