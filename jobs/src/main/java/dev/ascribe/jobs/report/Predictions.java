package dev.ascribe.jobs.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ascribe.core.data.Dataset;
import dev.ascribe.core.grad.Autograd;
import dev.ascribe.core.model.Inputs;
import dev.ascribe.core.model.Model;
import dev.ascribe.core.model.ModelStore;
import java.io.IOException;

/**
 * What the run's trained models predict for the shown queries: the class of the highest mean
 * probability over the models (each at its final epoch, dropout off), and that probability.
 *
 * @param classes per query, the predicted class
 * @param probability per query, its mean probability
 * @param models how many models were averaged
 */
record Predictions(int[] classes, double[] probability, int models) {
  /**
   * @param store the run's model store
   * @param models number of models (m0 .. m{models-1})
   * @param queries the shown queries
   * @throws IOException if a model is missing or its file is damaged (the store names it)
   */
  static Predictions of(ModelStore store, int models, Dataset queries) throws IOException {
    int n = queries.size();
    int c = queries.numClasses();
    double[][] mean = new double[n][c];
    try (NDManager manager = NDManager.newBaseManager();
        Autograd.Scope noGrad = Autograd.gradMode(false)) {
      for (int m = 0; m < models; m++) {
        try (Model net = store.load(m, store.readDescription(m).finalEpoch(), manager)) {
          NDArray x = Inputs.features(queries, Inputs.range(0, n), net.manager());
          float[] p = net.logits(x).softmax(1).toFloatArray();
          for (int q = 0; q < n; q++) {
            for (int k = 0; k < c; k++) {
              mean[q][k] += p[q * c + k] / models;
            }
          }
        }
      }
    }
    int[] classes = new int[n];
    double[] probability = new double[n];
    for (int q = 0; q < n; q++) {
      for (int k = 1; k < c; k++) {
        if (mean[q][k] > mean[q][classes[q]]) {
          classes[q] = k;
        }
      }
      probability[q] = mean[q][classes[q]];
    }
    return new Predictions(classes, probability, models);
  }
}
