package dev.sluice.load.postgresql;

import dev.sluice.config.ConfigKeys.TargetType;
import dev.sluice.config.LoadConfig;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import dev.sluice.load.TargetDriver;
import dev.sluice.load.sql.DdlPlan;
import dev.sluice.load.sql.Dialect;
import dev.sluice.schema.SchemaVersion;
import java.sql.Connection;
import java.sql.SQLException;
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
        // Read-only, rolled back: the dry run changes nothing.
        try (Connection c = PostgresTarget.connect(config)) {
            c.setReadOnly(true);
            List<String> statements = DdlPlan.plan(c, config, new PostgresSql(dialect(config)), tables);
            c.rollback();
            return statements;
        } catch (SQLException e) {
            throw PostgresSql.translateError(e, "planning the DDL in " + PostgresTarget.address(config));
        }
    }

    private static Dialect dialect(LoadConfig config) {
        return config.target().type() == TargetType.REDSHIFT ? Dialect.REDSHIFT : Dialect.POSTGRESQL;
    }
}
