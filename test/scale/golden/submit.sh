#!/bin/bash
# Submits the shard array, then the merge job once every task has succeeded (afterok).
set -euo pipefail
array=$(sbatch --parsable /shared/ohmnet-job/array.sbatch)
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:${array} /shared/ohmnet-job/merge.sbatch)
echo "shards: job ${array}; merge: job ${merge%%;*}"
