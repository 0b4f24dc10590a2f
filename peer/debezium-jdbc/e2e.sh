#!/usr/bin/env bash
# End-to-end check of the JDBC-sink peer on this machine (no Docker): private MariaDB -> Debezium's MariaDB source
# (peer/debezium, JSON schemas on) -> a KRaft broker -> Kafka Connect + Debezium's JDBC sink -> a new PostgreSQL
# database on 127.0.0.1:5432 (dropped at the end), compared row by row with MariaDB. Arguments go to EndToEnd, e.g.
#   peer/debezium-jdbc/e2e.sh                              # 2,000 rows + updates, deletes, key changes
#   peer/debezium-jdbc/e2e.sh --types                      # also a probe of MariaDB types (reported, not checked)
#   peer/debezium-jdbc/e2e.sh --rows 100000 --updates 0 --deletes 0 --pk-changes 0 --batch-size 1000
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -f "$HERE/../debezium/target/sluice-peer-debezium.jar" ]; then
  mvn -B -q -f "$HERE/../debezium/pom.xml" -DskipTests package
fi
mvn -B -q -f "$HERE/pom.xml" -DskipTests package
cd "$HERE"
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.sluice.peer.jdbc.EndToEnd --project "$HERE" "$@"
