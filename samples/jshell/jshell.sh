#!/usr/bin/env sh
# Starts JShell with mlops4j on the class path and every API package imported (mlops.jsh):
#   samples/jshell/jshell.sh [script.jsh]
# Builds the samples module first (quietly) to produce samples/target/classpath.txt.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
./mvnw -q -pl samples -am -DskipTests package
cp="samples/target/classes:$(cat samples/target/classpath.txt)"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}jshell" --class-path "$cp" --startup DEFAULT --startup samples/jshell/mlops.jsh \
    -R-Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@"
