package dev.sluice.load.duckdb;

import dev.sluice.config.ConfigKeys.TargetType;
import dev.sluice.config.LoadConfig;
import dev.sluice.load.LoadStats;
import dev.sluice.load.Target;
import dev.sluice.load.TargetDriver;
import dev.sluice.load.sql.DdlPlan;
import dev.sluice.schema.SchemaVersion;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBConnection;

/** {@code target.type: duckdb}: the change topics into one local DuckDB file, exactly once (docs/load.md). */
public final class DuckDbDriver implements TargetDriver {
    @Override
    public boolean serves(TargetType type) {
        return type == TargetType.DUCKDB;
    }

    @Override
    public Target open(LoadConfig config, LoadStats stats) {
        return DuckDbTarget.open(config, stats);
    }

    /** Reads the file only if it exists, and then read-only: the dry run creates no file and writes nothing. */
    @Override
    public List<String> plan(LoadConfig config, List<SchemaVersion> tables) {
        if (!DuckDbFile.exists(config)) {
            try {
                return DdlPlan.plan(null, config, DuckDbSql.INSTANCE, tables);
            } catch (SQLException e) {
                throw DuckDbSql.INSTANCE.translate(e, "planning the DDL for " + DuckDbFile.path(config));
            }
        }
        try (DuckDBConnection c = DuckDbFile.open(config, true)) {
            List<String> statements = DdlPlan.plan(c, config, DuckDbSql.INSTANCE, tables);
            c.rollback();
            return statements;
        } catch (SQLException e) {
            throw DuckDbSql.INSTANCE.translate(e, "planning the DDL in " + DuckDbFile.path(config));
        }
    }
}
