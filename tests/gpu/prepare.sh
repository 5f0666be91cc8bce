#!/usr/bin/env bash
# Builds, on a machine with JDK 25 and Maven (this one), everything tests/gpu/measure.sh needs on a lent GPU
# machine that has no JDK, no Maven and no network. All of it is ignored build output, to be passed through the
# device tool's `carry` (64 MiB in all; this prints the list and the total):
#   apps/target/cxrclip.jar                      the command line (JOCL's natives inside)
#   engine/target/classes engine/target/test-classes engine/target/deps   the op suite (OpSuite + JUnit)
#   target/jre.tgz                               a jlink'ed Java 25 runtime (java.base, java.desktop, Vector API...)
#   target/ocl                                   the OpenCL ICD loader (libOpenCL.so.1) as a .deb, unpacked there
#                                                only if the GPU machine lacks one
set -euo pipefail
cd "$(dirname "$0")/../.."
. .mvn/jdk.sh
cxrclip_select_jdk
mvn() { ./mvnw -q -B -o "$@" || ./mvnw -q -B "$@"; }

echo "prepare: building apps/target/cxrclip.jar"
mvn -pl apps -am package -DskipTests
echo "prepare: engine test classes and their dependencies (engine/target/deps)"
mvn -pl engine test-compile dependency:copy-dependencies -DincludeScope=test -DoutputDirectory=target/deps

if [ ! -f target/jre.tgz ] || [ "$JAVA_HOME/release" -nt target/jre.tgz ]; then
  echo "prepare: jlink'ing a Java runtime into target/jre.tgz"
  rm -rf target/jre && mkdir -p target
  "$JAVA_HOME/bin/jlink" --add-modules java.base,java.desktop,jdk.incubator.vector,java.logging,java.management,jdk.unsupported,java.naming,java.xml \
    --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output target/jre
  tar czf target/jre.tgz -C target jre
  rm -rf target/jre
fi

mkdir -p target/ocl
if ! ls target/ocl/*.deb >/dev/null 2>&1; then
  if command -v apt-get >/dev/null; then
    (cd target/ocl && apt-get download ocl-icd-libopencl1 >/dev/null) || echo "prepare: could not download ocl-icd-libopencl1 (measure.sh then needs libOpenCL.so.1 on the GPU machine)" >&2
  fi
fi

carry=(apps/target/cxrclip.jar engine/target/classes engine/target/test-classes engine/target/deps target/jre.tgz target/ocl)
du -sch "${carry[@]}"
total=$(du -scm "${carry[@]}" | tail -n 1 | cut -f1)
[ "$total" -le 64 ] || echo "prepare: WARNING: ${total} MiB exceeds the device tool's 64 MiB carry limit" >&2
printf 'carry: ['; printf '"%s",' "${carry[@]}" | sed 's/,$//'; printf ']\n'
echo 'then run: bash tests/gpu/measure.sh            (or one stage: check|ops|gemm|encode|train|torch)'
