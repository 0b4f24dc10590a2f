package dev.sluice.load.postgresql;

import dev.sluice.config.ConfigKeys.TargetType;
import dev.sluice.config.LoadConfig;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import dev.sluice.load.TargetDriver;

/** {@code target.type: postgresql} and {@code redshift}: one code path, two dialects ({@link Dialect}). */
public final class PostgresDriver implements TargetDriver {
    @Override
    public boolean serves(TargetType type) {
        return type == TargetType.POSTGRESQL || type == TargetType.REDSHIFT;
    }

    @Override
    public Target open(LoadConfig config, LoadStats stats) {
        Dialect dialect = config.target().type() == TargetType.REDSHIFT ? Dialect.REDSHIFT : Dialect.POSTGRESQL;
        return PostgresTarget.open(config, dialect, stats);
    }
}
