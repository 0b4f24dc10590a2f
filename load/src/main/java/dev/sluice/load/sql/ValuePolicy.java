package dev.sluice.load.sql;

import dev.sluice.config.ConfigKeys.Unrepresentable;
import dev.sluice.event.RowImage;
import dev.sluice.failure.ExitCode;
import dev.sluice.failure.SluiceException;
import dev.sluice.load.RowChange;
import dev.sluice.schema.ColumnDefinition;
import dev.sluice.schema.SchemaVersion;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a target does with a value its column type cannot hold ({@code load.unrepresentable-values}): stop there,
 * naming table, column, value, key and record, or load NULL and count it. A key column has no answer but to stop:
 * NULL cannot be a key. The loader never writes a different value silently.
 *
 * <p>Used by one session's thread.
 */
public final class ValuePolicy {
    private final CellText cells;
    private final Unrepresentable policy;
    private final String targetName;
    private final NulledValues nulled;

    public ValuePolicy(CellText cells, Unrepresentable policy, String targetName, NulledValues nulled) {
        this.cells = cells;
        this.policy = policy;
        this.targetName = targetName;
        this.nulled = nulled;
    }

    /** The cell of {@code column} in {@code row} as target text, or the policy's answer when the target cannot hold it. */
    public String value(ColumnDefinition column, RowChange row) {
        try {
            return cells.value(column, row.row().get(column.name()));
        } catch (UnrepresentableValueException e) {
            boolean key = row.schema().primaryKey().contains(column.name());
            if (policy == Unrepresentable.STOP || key) {
                throw stop(targetName, row.schema(), column, row.row(), row.origin(), e);
            }
            nulled.nulled(row.schema().qualifiedName(), column.name(), row.origin(), e.getMessage());
            return null;
        }
    }

    /**
     * Throws the loader's stop for the first value of {@code image} the target cannot hold and the policy does not
     * let it load as NULL; {@code keyOnly} checks just the key columns (a delete's or a moved key's old image).
     */
    public static void check(
            CellText cells,
            Supplier<String> targetName,
            SchemaVersion schema,
            RowImage image,
            boolean keyOnly,
            Unrepresentable policy,
            RowChange.Origin origin) {
        for (ColumnDefinition column : schema.columns()) {
            boolean key = schema.primaryKey().contains(column.name());
            if ((!key && (keyOnly || policy == Unrepresentable.NULL)) || !cells.mayBeUnrepresentable(column)) {
                continue;
            }
            try {
                cells.value(column, image.get(column.name()));
            } catch (UnrepresentableValueException e) {
                throw stop(targetName.get(), schema, column, image, origin, e);
            }
        }
    }

    private static SluiceException stop(
            String targetName,
            SchemaVersion schema,
            ColumnDefinition column,
            RowImage image,
            RowChange.Origin origin,
            UnrepresentableValueException e) {
        String remedy = schema.primaryKey().contains(column.name())
                ? "A key column cannot be loaded as NULL: fix the value in the source, or leave the table out with "
                        + "filter.exclude."
                : "Fix the value in the source, or set load.unrepresentable-values: null to load NULL for such "
                        + "values (counted in sluice_load_values_nulled and logged).";
        return new SluiceException(
                ExitCode.DATA,
                "Column '" + column.name() + "' of " + targetName + " (source " + schema.qualifiedName()
                        + ") cannot hold " + e.getMessage() + ": the change at " + origin + ", key "
                        + keyOf(schema, image) + ". The loader stopped there: the target holds every change before "
                        + "it and nothing after, and a restart continues with it. " + remedy);
    }

    private static String keyOf(SchemaVersion schema, RowImage image) {
        return schema.primaryKey().stream()
                .map(k -> k + "=" + image.get(k))
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
