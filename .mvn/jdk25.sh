# Sourced by ./mvnw and ./minikv: points JAVA_HOME at a JDK 25 or newer.
# The default java on our machines is 17, so both scripts look for a newer one
# themselves instead of asking every developer and CI run to configure it.
minikv_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

minikv_find_jdk25() {
  for candidate in "${JAVA_HOME:-}" \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
    /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(minikv_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if found_jdk=$(minikv_find_jdk25); then
  JAVA_HOME=$found_jdk
  export JAVA_HOME
else
  echo "minikv needs JDK 25 or newer: set JAVA_HOME or install one under /usr/lib/jvm" >&2
  exit 1
fi
unset found_jdk
