# Sourced (POSIX sh) by ./mvnw, ./cxrclip and .ci/run: make JAVA_HOME point at a JDK >= 25.
# cxrclip needs JDK 25 (Vector API, release 25), while many machines default to an older java.
# Order: JAVA_HOME if it is new enough, then `java` on PATH, then the usual install locations.
# Set CXRCLIP_JDK_QUIET=1 to silence the note printed when another JDK is chosen.

cxrclip_java_major() { # $1 = a java executable; prints its feature version or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

cxrclip_select_jdk() {
  _need=25
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    _v=$(cxrclip_java_major "$JAVA_HOME/bin/java")
    [ -n "$_v" ] && [ "$_v" -ge "$_need" ] && return 0
  fi
  if command -v java >/dev/null 2>&1; then
    _java=$(command -v java)
    _v=$(cxrclip_java_major "$_java")
    if [ -n "$_v" ] && [ "$_v" -ge "$_need" ]; then
      _real=$(readlink -f "$_java" 2>/dev/null || echo "$_java")
      JAVA_HOME=$(dirname "$(dirname "$_real")"); export JAVA_HOME
      return 0
    fi
  fi
  case $- in *f*) _noglob=1; set +f ;; *) _noglob= ;; esac  # mvnw runs with set -f
  for _home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* \
               "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$_home/bin/java" ] && [ -x "$_home/bin/javac" ] || continue
    _v=$(cxrclip_java_major "$_home/bin/java")
    if [ -n "$_v" ] && [ "$_v" -ge "$_need" ]; then
      JAVA_HOME=$_home; export JAVA_HOME
      [ -n "${CXRCLIP_JDK_QUIET-}" ] || echo "cxrclip: using JDK $_v at $JAVA_HOME" >&2
      [ -z "$_noglob" ] || set -f
      return 0
    fi
  done
  [ -z "$_noglob" ] || set -f
  echo "cxrclip: needs a JDK >= $_need (found none in JAVA_HOME, on PATH or under /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks)." >&2
  echo "cxrclip: install Temurin 25 and set JAVA_HOME to it." >&2
  return 1
}
