package dev.sluice.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedded.MariaDbBinaries;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.embedded.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each workload of a bench gets a MariaDB server of its own (in {@code <work dir>/<workload>/mariadb}), stopped
 * after it: one workload's binlog, buffer pool and purge debt never weigh on the next one's figures. The first
 * server also describes the run for its manifest.
 */
final class FreshDatabases {
    /** What a bench does with one workload on its own server. */
    interface PerWorkload<T> {
        T run(Workload workload, Path dir, MariaDbServer mariadb) throws Exception;
    }

    /** The manifest of the run, read from the first workload's server. */
    interface ManifestOf {
        ObjectNode read(MariaDbServer mariadb) throws Exception;
    }

    /** Every workload's result, in order, and the manifest. */
    record Runs<T>(ObjectNode manifest, List<T> results) {}

    private FreshDatabases() {}

    static <T> Runs<T> each(List<Workload> workloads, Path workDir, ManifestOf manifestOf, PerWorkload<T> body)
            throws Exception {
        List<T> results = new ArrayList<>();
        ObjectNode manifest = null;
        for (Workload w : workloads) {
            Path dir = workDir.resolve(w.name().toLowerCase(Locale.ROOT));
            MariaDbServer mariadb = start(dir);
            try {
                if (manifest == null) {
                    manifest = manifestOf.read(mariadb);
                }
                results.add(body.run(w, dir, mariadb));
            } finally {
                mariadb.stop();
            }
        }
        return new Runs<>(manifest, results);
    }

    /** A new server from the embedded binaries, with the harness's defaults, in {@code dir/mariadb}. */
    static MariaDbServer start(Path dir) throws Exception {
        return MariaDbServer.start(
                MariaDbBinaries.embedded(MariaDbBinaries.defaultCacheRoot()),
                dir.resolve("mariadb"),
                Ports.free(),
                MariaDbServer.Options.defaults());
    }
}
