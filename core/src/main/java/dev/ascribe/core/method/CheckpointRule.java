package dev.ascribe.core.method;

/** Which stored checkpoints a method featurizes, and how they are weighted. */
public enum CheckpointRule {
  /** Each model's final epoch, weight 1. */
  FINAL_EPOCH,
  /**
   * TracIn's: every epoch a model's training listed and saved (every saved one when it lists
   * none), each weighted η / models with η the model's learning rate.
   */
  LISTED_EPOCHS_BY_LEARNING_RATE
}
