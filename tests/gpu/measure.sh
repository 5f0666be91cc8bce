#!/usr/bin/env bash
# Measures the OpenCL backend on a GPU machine against PyTorch fp32 eager on the same GPU, and prints one table.
#
#   bash tests/gpu/measure.sh [all|check|ops|gemm|encode|train|torch|summary]...   (default: all)
#
# Stages (each appends its raw output lines to $RESULTS, so a session may run them in separate calls):
#   check   what the machine provides: GPU (nvidia-smi), OpenCL ICD loader and NVIDIA's ICD, a Java >= 25,
#           python3 with a CUDA torch; then `cxrclip devices`
#   ops     the engine's whole op suite on OpenCL against the reference backend (OpSuite)
#   gemm    bench gemm --device opencl, sizes 1024 2048 4096 (and 4096 without float4 loads, for comparison)
#   encode  ViT-B/32 image encoder, inference, batch 256: bench encode --device opencl
#   train   CLIP ViT-B/32 training step, batch 128: bench train-step --device opencl (skipped with a note when
#           this build has no train-step bench)
#   torch   the same three with PyTorch fp32 eager (tests/gpu/torch_clip_bench.py)
#   summary the table: metric | cxrclip OpenCL | PyTorch | ratio
#
# The GPU machine has no JDK, Maven or network: run tests/gpu/prepare.sh first where those exist, and pass the
# paths it lists through the device tool's `carry`. Settings: JAVA (a java >= 25), RESULTS (default
# $OUT/results.txt when $OUT is set, else target/gpu-measure/results.txt), DEVICE (default opencl),
# CXRCLIP_JAVA_OPTS (default -Xmx24g), PYTHON (default: the first python3 that imports torch). QUICK=1 is a dry
# run of the script itself on a CPU (PoCL): small GEMMs, the tiny preset, batch 8, torch on the CPU.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DEVICE=${DEVICE:-opencl}
if [ -n "${OUT:-}" ]; then RESULTS=${RESULTS:-$OUT/results.txt}; else RESULTS=${RESULTS:-target/gpu-measure/results.txt}; fi
mkdir -p "$(dirname "$RESULTS")"
JAR=apps/target/cxrclip.jar
if [ "${QUICK:-0}" = 1 ]; then
  GEMM_SIZES=${GEMM_SIZES:-128 256}; MODEL=${MODEL:-tiny}; ENCODE_BATCH=${ENCODE_BATCH:-8}; TRAIN_BATCH=${TRAIN_BATCH:-8}
  TORCH_ARGS=${TORCH_ARGS:---device cpu --tiny --repeat 2}
fi
GEMM_SIZES=${GEMM_SIZES:-1024 2048 4096}; MODEL=${MODEL:-ViT-B/32}; ENCODE_BATCH=${ENCODE_BATCH:-256}; TRAIN_BATCH=${TRAIN_BATCH:-128}
TORCH_ARGS=${TORCH_ARGS:---device cuda}
LARGEST=${GEMM_SIZES##* }
say() { printf '\n== %s\n' "$*"; }
record() { tee -a "$RESULTS"; }

# ---- OpenCL: the ICD loader (libOpenCL.so.1) and NVIDIA's ICD, without root if need be ----
ldcache() { { command -v ldconfig >/dev/null && ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null; }
# The first path of a shared library: from the linker cache, else the usual driver folders.
find_lib() {
  local p; p=$(ldcache | grep -o "/[^ ]*/$1\$" | head -n 1)
  [ -z "$p" ] && p=$(ls /usr/lib/x86_64-linux-gnu/"$1" /usr/lib64/"$1" /usr/local/nvidia/lib64/"$1" /usr/lib/"$1" 2>/dev/null | head -n 1)
  echo "$p"
}
setup_opencl() {
  if [ -z "$(find_lib libOpenCL.so.1)" ] && [ ! -e "$ROOT/target/ocl/root/usr/lib/x86_64-linux-gnu/libOpenCL.so.1" ]; then
    deb=$(ls "$ROOT"/target/ocl/*.deb 2>/dev/null | head -n 1)
    if [ -n "$deb" ]; then dpkg -x "$deb" "$ROOT/target/ocl/root"; fi
  fi
  if [ -d "$ROOT/target/ocl/root/usr/lib/x86_64-linux-gnu" ]; then
    export LD_LIBRARY_PATH="$ROOT/target/ocl/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  fi
  # NVIDIA's driver library without its .icd file (common in containers): register it for this process only.
  if ! grep -qsl nvidia /etc/OpenCL/vendors/*.icd; then
    lib=$(find_lib libnvidia-opencl.so.1)
    if [ -n "$lib" ]; then
      mkdir -p "$ROOT/target/ocl/vendors"
      echo "$lib" > "$ROOT/target/ocl/vendors/nvidia.icd"
      for f in /etc/OpenCL/vendors/*.icd; do [ -e "$f" ] && cp "$f" "$ROOT/target/ocl/vendors/"; done
      export OCL_ICD_VENDORS="$ROOT/target/ocl/vendors"
    fi
  fi
}

# ---- Java >= 25: $JAVA, the carried target/jre(.tgz), $JAVA_HOME, or java on the PATH ----
java_major() { "$1" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+).*/\1/'; }
find_java() {
  if [ -z "${JAVA:-}" ] && [ ! -x target/jre/bin/java ] && [ -f target/jre.tgz ]; then tar xzf target/jre.tgz -C target; fi
  for j in "${JAVA:-}" "$ROOT/target/jre/bin/java" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null)"; do
    if [ -n "$j" ] && [ -x "$j" ] && [ "$(java_major "$j")" -ge 25 ] 2>/dev/null; then JAVA=$j; return 0; fi
  done
  cat >&2 <<'MSG'
measure: no Java >= 25 here. Bring one: on a machine with JDK 25 run tests/gpu/prepare.sh, which jlinks
  jlink --add-modules java.base,java.desktop,jdk.incubator.vector,java.logging,java.management,jdk.unsupported,java.naming,java.xml \
        --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output target/jre
into target/jre.tgz (about 40 MB), and pass target/jre.tgz in the device tool's `carry` with the other paths it
lists; this script unpacks it. Or set JAVA=/path/to/java.
MSG
  return 1
}
cx() { "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${CXRCLIP_JAVA_OPTS:--Xmx24g} \
       -XX:+UseParallelGC -jar "$JAR" "$@" 2>&1 | grep -v '^WARNING: Using incubator modules'; }

find_python() {
  for p in "${PYTHON:-}" /usr/bin/python3 python3; do
    if [ -n "$p" ] && "$p" -c 'import torch' 2>/dev/null; then PYTHON=$p; return 0; fi
  done
  return 1
}

stage_check() {
  say "machine"
  uname -srm; nproc | sed 's/^/cpus: /'; free -g | awk '/Mem:/ {print "memory: " $2 " GiB"}'
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader | sed 's/^/gpu: /' | record
  else
    echo "gpu: no nvidia-smi (no NVIDIA driver visible)" | record
  fi
  echo "opencl icds: $(ls /etc/OpenCL/vendors/ 2>/dev/null | tr '\n' ' ')${OCL_ICD_VENDORS:+ (+ $OCL_ICD_VENDORS: $(ls "$OCL_ICD_VENDORS" | tr '\n' ' '))}"
  for l in libOpenCL.so.1 libnvidia-opencl.so.1 libcuda.so.1 libnvrtc.so; do echo "lib $l: $(find_lib $l)"; done
  [ -n "${LD_LIBRARY_PATH:-}" ] && echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -n 1))"
  if find_python; then
    "$PYTHON" -c 'import torch; print("python:", torch.__version__, "cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")'
  else
    echo "python: no python3 with torch here (the torch stage will be skipped; a CUDA torch wheel is ~2 GB, too big to carry)"
  fi
  say "cxrclip devices"
  cx devices | record
  if ! cx devices | grep -q '^opencl:'; then
    echo "measure: no OpenCL device. If the GPU has no libnvidia-opencl.so.1, the CUDA path of issue 8 (driver API + NVRTC) is needed." >&2
    return 1
  fi
}

stage_ops() {
  say "op suite on $DEVICE (engine tests, every op against the reference)"
  if [ ! -d engine/target/test-classes ] || [ ! -d engine/target/deps ]; then
    echo "ops: engine/target/test-classes or engine/target/deps missing (run tests/gpu/prepare.sh and carry them)" | record
    return 1
  fi
  local dev=$DEVICE; [ "$dev" = opencl ] && dev=$(cx devices | awk '/^opencl:/ && / \| GPU \| / {print $1; exit}'); dev=${dev:-opencl}
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g -Dcxrclip.test.opencl=true \
    -Dcxrclip.test.opencl.device="$dev" -Dcxrclip.shared="$ROOT/../shared" \
    -cp "engine/target/classes:engine/target/test-classes:engine/target/deps/*" \
    org.cxrclip.engine.backend.opencl.OpSuite 2>&1 | grep -v '^WARNING: Using incubator' | tail -n 40 | record
}

stage_gemm() {
  say "bench gemm --device $DEVICE"
  for s in $GEMM_SIZES; do cx bench gemm --device "$DEVICE" --size "$s" --repeat 5 | record; done
  echo "# without float4 loads:" | record
  CXRCLIP_JAVA_OPTS="${CXRCLIP_JAVA_OPTS:--Xmx24g} -Dcxrclip.opencl.gemm.vec=false" cx bench gemm --device "$DEVICE" \
    --size "$LARGEST" --repeat 5 | sed 's/^gemm /gemm-novec /' | record
}

stage_encode() {
  say "$MODEL inference, batch $ENCODE_BATCH, on $DEVICE"
  cx bench encode --device "$DEVICE" --model "$MODEL" --batch "$ENCODE_BATCH" --repeat 3 | record
}

stage_train() {
  say "CLIP $MODEL training step, batch $TRAIN_BATCH, on $DEVICE"
  if ! cx bench --help | grep -q 'train-step'; then
    echo "train: this build has no 'bench train-step' (added by the training-speed work); skipped" | record
    return 0
  fi
  cx bench train-step --device "$DEVICE" --model "$MODEL" --batch "$TRAIN_BATCH" | sed 's/^/train-step-result /' | record
}

stage_torch() {
  say "PyTorch fp32 eager on the same GPU"
  if ! find_python; then echo "torch: no python3 with torch; skipped" | record; return 0; fi
  if [[ "$TORCH_ARGS" == *cuda* ]] && ! "$PYTHON" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    echo "torch: torch has no CUDA device here; skipped" | record; return 0
  fi
  # shellcheck disable=SC2086
  "$PYTHON" tests/gpu/torch_clip_bench.py $TORCH_ARGS --gemm "${GEMM_SIZES// /,}" --encode-batch "$ENCODE_BATCH" \
    --train-batch "$TRAIN_BATCH" | record
}

# value KEY PATTERN: the number after KEY= on the last results line matching PATTERN
value() { grep -E "$2" "$RESULTS" 2>/dev/null | tail -n 1 | grep -oE "$1=[0-9.]+" | cut -d= -f2; }
stage_summary() {
  say "summary ($RESULTS)"
  local dev; dev=$( (grep -E '^opencl:[0-9]+ .* \| GPU \| ' "$RESULTS" || grep -E '^opencl:[0-9]+ ' "$RESULTS") | tail -n 1 \
    | cut -d'|' -f2 | sed 's/^ *//; s/ *$//')
  printf '%-40s %16s %16s %8s\n' "metric (float32)" "cxrclip OpenCL" "PyTorch eager" "ratio"
  row() {
    local ours=$1 theirs=$2 ratio="-"
    if [ -n "$ours" ] && [ -n "$theirs" ]; then ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f", a / b}'); fi
    printf '%-40s %16s %16s %8s\n' "$3" "${ours:--}" "${theirs:--}" "$ratio"
  }
  for s in $GEMM_SIZES; do
    row "$(value gflops "^gemm m=$s n=$s k=$s ")" "$(value gflops "^torch-gemm n=$s ")" "GEMM $s³ GFLOP/s"
  done
  row "$(value gflops "^gemm-novec m=$LARGEST ")" "" "GEMM $LARGEST³ GFLOP/s, no float4 loads"
  row "$(value images_per_s "^encode-image model=$MODEL batch=$ENCODE_BATCH ")" \
    "$(value images_per_s "^torch-encode-image batch=$ENCODE_BATCH ")" "$MODEL images/s (inference, b=$ENCODE_BATCH)"
  row "$(grep -E '^train-step-result .*(pairs|samples)_per_s=' "$RESULTS" | tail -n 1 | grep -oE '(pairs|samples)_per_s=[0-9.]+' | cut -d= -f2)" \
    "$(value pairs_per_s "^torch-train-step batch=$TRAIN_BATCH ")" "CLIP training pairs/s (b=$TRAIN_BATCH)"
  echo "device: ${dev:-?}; $(grep -m1 '^gpu: ' "$RESULTS" || true); $(grep -m1 '^torch-device' "$RESULTS" || true)"
  grep -E '^op suite on' "$RESULTS" | tail -n 1
}

stages=("$@"); [ ${#stages[@]} -eq 0 ] && stages=(all)
[ "${stages[0]}" = all ] && stages=(check ops gemm encode train torch summary)
needs_java=0; for s in "${stages[@]}"; do case $s in check|ops|gemm|encode|train) needs_java=1 ;; esac; done
setup_opencl
if [ $needs_java = 1 ]; then
  find_java || exit 2
  [ -f "$JAR" ] || { echo "measure: $JAR missing (run tests/gpu/prepare.sh and carry it)" >&2; exit 2; }
fi
status=0
for s in "${stages[@]}"; do
  case $s in
    check|ops|gemm|encode|train|torch|summary) "stage_$s" || status=1 ;;
    *) echo "measure: unknown stage '$s' (all, check, ops, gemm, encode, train, torch, summary)" >&2; exit 2 ;;
  esac
done
exit $status
