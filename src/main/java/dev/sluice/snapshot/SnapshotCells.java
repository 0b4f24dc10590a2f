package dev.sluice.snapshot;
// TEMP STUB
import dev.sluice.schema.*;
import java.io.Serializable;
import java.sql.*;
public final class SnapshotCells {
    private final TableSchema schema;
    public SnapshotCells(TableSchema schema) { this.schema = schema; }
    public String selectList() {
        StringBuilder b = new StringBuilder();
        for (Column c : schema.columns()) { if (b.length() > 0) b.append(", "); b.append(c.kind() == ColumnKind.VARCHAR ? "CAST(`" + c.name() + "` AS BINARY)" : "`" + c.name() + "`"); }
        return b.toString();
    }
    public Serializable[] read(ResultSet rs) throws SQLException {
        Serializable[] out = new Serializable[schema.columns().size()];
        for (int i = 0; i < out.length; i++) {
            ColumnKind k = schema.columns().get(i).kind();
            out[i] = k == ColumnKind.VARCHAR ? rs.getBytes(i + 1) : k == ColumnKind.BIGINT ? (Serializable) rs.getLong(i + 1) : (Serializable) rs.getInt(i + 1);
            if (rs.wasNull()) out[i] = null;
        }
        return out;
    }
}
