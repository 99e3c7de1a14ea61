#!/usr/bin/env bash
# Run /usr/bin/python3 with PyTorch at its best configuration on this machine (DESIGN.md §7):
#  - the OpenMP build of OpenBLAS (libopenblas0-pthread, if installed, would otherwise take
#    priority and halve torch's GEMM),
#  - glibc malloc tunables so large tensors are not mmap'd/unmapped every step,
#  - OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for this command only (they are set on some
#    machines for old OpenBLAS builds and force a slower kernel).
# Usage: bench/torch_env.sh bench/torch_train_step.py --hidden 256 --batch 256 --steps 1000
set -euo pipefail

OMP_BLAS_DIR=/usr/lib/x86_64-linux-gnu/openblas-openmp
PY=/usr/bin/python3
hint="install them with: apt-get install -y python3-torch libopenblas0-openmp"

if [ ! -x "$PY" ]; then
  echo "torch_env.sh: $PY not found; $hint" >&2; exit 3
fi
if [ ! -e "$OMP_BLAS_DIR/libopenblas.so.0" ]; then
  echo "torch_env.sh: OpenMP OpenBLAS missing ($OMP_BLAS_DIR/libopenblas.so.0); $hint" >&2; exit 3
fi
if ! "$PY" -c 'import torch' >/dev/null 2>&1; then
  echo "torch_env.sh: '$PY -c \"import torch\"' fails (Debian python3-torch missing?); $hint" >&2
  exit 3
fi

export LD_LIBRARY_PATH="$OMP_BLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GLIBC_TUNABLES="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296"
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS OMP_NUM_THREADS
exec "$PY" "$@"
