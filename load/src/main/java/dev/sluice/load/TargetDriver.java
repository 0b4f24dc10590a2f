package dev.sluice.load;

import dev.sluice.config.ConfigKeys.TargetType;
import dev.sluice.config.LoadConfig;
import dev.sluice.schema.SchemaVersion;
import java.util.List;

/**
 * A kind of target database, found on the class path by {@link java.util.ServiceLoader}: each target module lists
 * its driver in {@code META-INF/services/dev.sluice.load.TargetDriver}, so {@code sluice load} carries only the
 * drivers of the targets it was installed with.
 */
public interface TargetDriver {
    /** Whether this driver writes targets of {@code type}. */
    boolean serves(TargetType type);

    /**
     * Connects to the target of {@code config}, checks that the loader can write there, and creates the loader's own
     * tables if they are missing. A failure the user can fix is a {@code SluiceException} naming the target (never
     * its password) and what to do. The target's sessions report what {@link LoadStats} counts of them (values
     * loaded as NULL) once their batch commits.
     */
    Target open(LoadConfig config, LoadStats stats);

    /**
     * The dry run: the DDL that {@link #open} and the first batches would run to give each table its schema version
     * in {@code tables} (the loader's own tables, then a CREATE TABLE or ALTER TABLEs per table), without changing
     * anything in the target. A version the target cannot follow is listed as an SQL comment saying why.
     */
    List<String> plan(LoadConfig config, List<SchemaVersion> tables);
}
