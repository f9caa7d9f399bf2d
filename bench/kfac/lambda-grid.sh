#!/bin/bash
# LDS of if-kfac and if-ekfac over a grid of λ multiples and both label choices, one model, on an
# MNIST setting whose models and ground truth were made by an earlier `bench --suite mnist` (or by
# `train` and `groundtruth`): the table of README "K-FAC and EK-FAC".
#
#   bench/kfac/lambda-grid.sh SETTING SHARED OUT [LAMBDAS]
#     SETTING  mnist-lr or mnist-mlp
#     SHARED   folder with models/ and groundtruth/ (the suite's <out>/<setting>/shared)
#     OUT      folder for one bench-method run per point
#     LAMBDAS  multiples to try (default "0.03x 0.1x 0.3x 1x 3x")
set -euo pipefail
cd "$(dirname "$0")/../.."
setting=$1; shared=$2; out=$3; lambdas=${4:-"0.03x 0.1x 0.3x 1x 3x"}
printf '%-9s %-8s %-6s %s\n' method labels lambda LDS
for method in if-kfac if-ekfac; do
  for labels in sampled true; do
    for lambda in $lambdas; do
      line=$(bin/ascribe bench method --conf "conf/$setting.conf" \
        --out "$out/$method-$labels-$lambda" --groundtruth "$shared" \
        --set method=$method --set models.dir="$shared/models" --set models=1 \
        --set lambda=$lambda --set $method.labels=$labels \
        --set bench.loo=false --set bench.auc=false 2>/dev/null | grep ': LDS ')
      lds=$(sed -E 's/.*LDS \{mean=([0-9.-]+), stderr=([0-9.]+).*/\1 ± \2/' <<<"$line")
      printf '%-9s %-8s %-6s %s\n' $method $labels $lambda "$lds"
    done
  done
done
