package dev.ascribe.core.model;

import java.util.List;

/**
 * The {@code model.*} options of a configuration as a {@link ModelKind} reads them. Keys are
 * relative to the section ({@code hidden}, not {@code model.hidden}); errors name the full key.
 */
public interface ModelSection {
  /** A list of whole numbers. */
  List<Integer> intList(String key);

  /** A string. */
  String string(String key);

  /** A number. */
  double number(String key);

  /** An error for key {@code key}, whose value is of the right type but not allowed. */
  IllegalArgumentException invalid(String key, String expected);
}
