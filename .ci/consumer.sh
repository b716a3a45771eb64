#!/usr/bin/env bash
# Follows the README's "Use it in your project" on a throwaway Maven project, as a new user would: installs
# mlops4j into the local repository, imports the BOM, depends on mlops-core and mlops-tracking without
# versions, compiles a small program and runs it with the documented JVM flags and an SLF4J binding at WARN.
# Fails unless the program prints its lines and nothing at all goes to stderr.
# Usage: .ci/consumer.sh   (JAVA_HOME: a JDK >= 21)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$root/mvnw" -q -f "$root/pom.xml" -pl mlops-bom,mlops-core,mlops-tracking -am -DskipTests -Dmaven.javadoc.skip=true install

version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/mlops-bom/pom.xml" | head -1)
mkdir -p "$dir/src/main/java/demo"
cp "$root/samples/data/boston_house_prices.csv" "$dir/prices.csv"
cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>demo</groupId>
  <artifactId>demo</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>21</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.mlops4j</groupId>
        <artifactId>mlops-bom</artifactId>
        <version>$version</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.mlops4j</groupId>
      <artifactId>mlops-core</artifactId>
    </dependency>
    <dependency>
      <groupId>org.mlops4j</groupId>
      <artifactId>mlops-tracking</artifactId>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>2.0.17</version>
    </dependency>
  </dependencies>
</project>
POM
cat > "$dir/src/main/java/demo/Main.java" <<'JAVA'
package demo;

import org.mlops4j.core.Pipeline;
import org.mlops4j.core.PipelineResult;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.transform.Impute;
import org.mlops4j.tracking.TrackingStores;

import java.util.Map;

public class Main {
    public static void main(String[] args) {
        ModelRegistry registry = ModelRegistry.inMemory();
        try (Tracker tracker = TrackingStores.tracker("sqlite:./mlruns/mlops.db")) {
            PipelineResult r = Pipeline.from(Csv.file("prices.csv").skipLines(1)).label("MEDV").drop("B")
                    .transform(Impute.median()).train(RandomForest.regression().trees(20).seed(42))
                    .track(tracker, "consumer").register(registry, "prices", "champion").run();
            System.out.println("holdout " + r.holdout());
            System.out.println("run " + r.runId().orElseThrow());
            System.out.println("predicted " + registry.predictor("prices@champion").predict(Map.of("RM", 6.5, "LSTAT", 5.0)).value());
        }
    }
}
JAVA
(cd "$dir" && "$root/mvnw" -q -B package dependency:build-classpath -Dmdep.outputFile=cp.txt)

flags=(--enable-native-access=ALL-UNNAMED)
major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}' | cut -d. -f1)
if [ "${major:-0}" -ge 23 ]; then flags+=(--sun-misc-unsafe-memory-access=allow); fi
(cd "$dir" && "$java" "${flags[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "target/classes:$(cat cp.txt)" demo.Main \
    > out.txt 2> err.txt) || { echo "consumer: the program failed" >&2; cat "$dir/err.txt" >&2; exit 1; }
cat "$dir/out.txt"
grep -q '^holdout RegressionMetrics' "$dir/out.txt" || { echo "consumer: no holdout line" >&2; exit 1; }
if [ -s "$dir/err.txt" ]; then
  echo "consumer: the program wrote to stderr ($(wc -l < "$dir/err.txt") lines):" >&2
  cat "$dir/err.txt" >&2
  exit 1
fi
echo "consumer: a new project on the BOM compiles and runs with an empty stderr"
