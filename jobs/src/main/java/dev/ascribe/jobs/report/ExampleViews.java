package dev.ascribe.jobs.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link ExampleView} of each data kind (the setting's {@code data.dataset}): the one place a
 * new kind (CIFAR's 32 x 32 x 3 images, Shakespeare's character sequences) plugs in.
 */
final class ExampleViews {
  private static final Map<String, ExampleView> VIEWS = new TreeMap<>(Map.of(
      "mnist", new MnistView()));

  private ExampleViews() {}

  /**
   * The view of {@code dataKind}.
   *
   * @throws IllegalArgumentException for a kind without one, naming those there are
   */
  static ExampleView of(String dataKind) {
    ExampleView view = VIEWS.get(dataKind);
    if (view == null) {
      throw new IllegalArgumentException("report: no way to show examples of data.dataset '"
          + dataKind + "': expected one of " + VIEWS.keySet());
    }
    return view;
  }
}
