package dev.ascribe.jobs.report;

import java.io.IOException;

/**
 * How the report shows one example of a kind of data, as the data is: MNIST and CIFAR as
 * thumbnails, text as characters. One implementation per data kind, registered in {@link
 * ExampleViews} under the setting's {@code data.dataset}.
 */
interface ExampleView {
  /**
   * Writes the example into {@code page}.
   *
   * @param name unique among the page's examples (a file name for pictures), e.g. "train-1019"
   * @param features the example's feature row, as the input rows hold it (pixels in [0, 1])
   * @param caption what the example is, for the picture's alt text
   */
  void show(Xhtml page, ImageFolder images, String name, float[] features, String caption)
      throws IOException;
}
