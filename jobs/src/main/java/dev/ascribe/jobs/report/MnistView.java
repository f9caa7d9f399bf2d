package dev.ascribe.jobs.report;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** MNIST digits: 28 x 28 grey pixels in [0, 1], white ink on black as in the files. */
final class MnistView implements ExampleView {
  static final int SIDE = 28;

  @Override
  public void show(Xhtml page, ImageFolder images, String name, float[] features, String caption)
      throws IOException {
    page.empty("img", "src", images.write(name, image(features)), "alt", caption,
        "class", "digit", "width", "42", "height", "42");
  }

  /** The digit as a grey image. */
  static BufferedImage image(float[] pixels) {
    if (pixels.length != SIDE * SIDE) {
      throw new IllegalArgumentException("an MNIST example has " + SIDE * SIDE
          + " pixels: got " + pixels.length);
    }
    BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < pixels.length; i++) {
      int grey = Math.round(Math.max(0f, Math.min(1f, pixels[i])) * 255f);
      image.getRaster().setSample(i % SIDE, i / SIDE, 0, grey);
    }
    return image;
  }
}
