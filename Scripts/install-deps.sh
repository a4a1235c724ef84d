#!/usr/bin/env bash
# Installs the C libraries s2s links (ICU, OpenBLAS, Open MPI, oneDNN) and pkg-config when they are missing, with
# mpirun to train over several processes and iproute2, whose network namespaces the MPI tests use.
# Debian/Ubuntu only; elsewhere it says what to install and stops.
set -euo pipefail
need=()
pkg-config --exists icu-uc 2>/dev/null || need+=(libicu-dev)
pkg-config --exists openblas 2>/dev/null || need+=(libopenblas-dev)
pkg-config --exists ompi-c 2>/dev/null || need+=(libopenmpi-dev)
[ -f /usr/include/oneapi/dnnl/dnnl.h ] || need+=(libdnnl-dev)
command -v mpirun >/dev/null 2>&1 || need+=(openmpi-bin)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "s2s needs: ${need[*]} (ICU, OpenBLAS, Open MPI, oneDNN and pkg-config). Install them with your package manager." >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${need[*]} ..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
