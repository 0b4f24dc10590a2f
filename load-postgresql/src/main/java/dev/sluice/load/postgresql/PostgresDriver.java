package dev.sluice.load.postgresql;

import dev.sluice.config.ConfigKeys.TargetType;
import dev.sluice.config.LoadConfig;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import dev.sluice.load.TargetDriver;
import dev.sluice.schema.SchemaVersion;
import java.util.List;

/** {@code target.type: postgresql} and {@code redshift}: one code path, two dialects ({@link Dialect}). */
public final class PostgresDriver implements TargetDriver {
    @Override
    public boolean serves(TargetType type) {
        return type == TargetType.POSTGRESQL || type == TargetType.REDSHIFT;
    }

    @Override
    public Target open(LoadConfig config, LoadStats stats) {
        return PostgresTarget.open(config, dialect(config), stats);
    }

    @Override
    public List<String> plan(LoadConfig config, List<SchemaVersion> tables) {
        return DryRun.plan(config, dialect(config), tables);
    }

    private static Dialect dialect(LoadConfig config) {
        return config.target().type() == TargetType.REDSHIFT ? Dialect.REDSHIFT : Dialect.POSTGRESQL;
    }
}
