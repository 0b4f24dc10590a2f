package dev.sluice.load;

import static dev.sluice.config.ConfigKeys.KAFKA_TOPIC_PREFIX;

import dev.sluice.config.ConfigKey;
import dev.sluice.embedded.MariaDbServer;
import dev.sluice.kafka.TopicNames;
import dev.sluice.testkit.TestServers;
import dev.sluice.types.CaseFile;
import dev.sluice.types.CaseFile.TypeCase;
import dev.sluice.types.ServerTimeZones;
import dev.sluice.types.ValueFamily;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The capture's type corpus (capture/src/test/resources/types, from its test-jar) as source tables for a target's
 * round trip: which files apply to a server, one table per column type, and the rows written as each file says.
 */
public final class TypeCorpus {
    /** The largest corpus values need records this large. */
    public static final String MAX_MESSAGE_BYTES = Integer.toString(16 * 1024 * 1024);

    private TypeCorpus() {}

    /** The cases of one column type in one file: one table, ids from 1, with a NULL case added. */
    public record TypeTable(CaseFile file, String name, String columnType, List<TypeCase> cases) {
        public ValueFamily family() {
            return ValueFamily.of(columnType);
        }
    }

    /** The corpus files that apply to the source of {@code c} (its version, its time zones). */
    public static List<CaseFile> applicableFiles(Connection c, String test) throws Exception {
        String version = c.getMetaData().getDatabaseProductVersion();
        List<CaseFile> files = new ArrayList<>();
        for (CaseFile f : CaseFile.loadAll()) {
            if (!f.appliesTo(version) || (f.timeZone() != null && !ServerTimeZones.available(c, f.timeZone()))) {
                System.out.printf("%s: %s does not apply to MariaDB %s: not run%n", test, f.name(), version);
            } else {
                files.add(f);
            }
        }
        return files;
    }

    /** One table per column type per file. */
    public static List<TypeTable> plan(List<CaseFile> files) {
        List<TypeTable> tables = new ArrayList<>();
        for (CaseFile f : files) {
            Map<String, List<TypeCase>> byType = new LinkedHashMap<>();
            f.cases()
                    .forEach(tc -> byType.computeIfAbsent(tc.columnType(), k -> new ArrayList<>())
                            .add(tc));
            String stem = f.name().substring(0, f.name().indexOf('.')).replace('-', '_');
            int n = 0;
            for (Map.Entry<String, List<TypeCase>> e : byType.entrySet()) {
                List<TypeCase> cases = new ArrayList<>(e.getValue());
                TypeCase first = cases.get(0);
                cases.add(new TypeCase(first.file(), first.line(), first.columnType(), "NULL", "null"));
                tables.add(new TypeTable(f, stem + "_" + (++n), e.getKey(), List.copyOf(cases)));
            }
        }
        return tables;
    }

    /** The ≥ 1 MB cases need topics that take such records. */
    public static void createTopicsForLargeValues(Map<ConfigKey<?>, Object> capture, String db, List<TypeTable> tables)
            throws Exception {
        TopicNames names = new TopicNames((String) capture.get(KAFKA_TOPIC_PREFIX));
        Properties props = new Properties();
        props.put("bootstrap.servers", TestServers.kafka().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(tables.stream()
                            .map(t -> new NewTopic(names.table(db, t.name()), 1, (short) 1)
                                    .configs(Map.of("max.message.bytes", MAX_MESSAGE_BYTES)))
                            .toList())
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /** Each file's rows in one transaction, in a session with the file's sql_mode and time_zone. */
    public static void insertAll(MariaDbServer server, String db, List<TypeTable> tables, List<CaseFile> files)
            throws Exception {
        for (CaseFile f : files) {
            try (Connection c = server.connect();
                    Statement st = c.createStatement()) {
                if (f.sqlMode() != null) {
                    st.execute("SET SESSION sql_mode = '" + f.sqlMode() + "'");
                }
                if (f.timeZone() != null) {
                    st.execute("SET SESSION time_zone = '" + f.timeZone() + "'");
                }
                c.setAutoCommit(false);
                for (TypeTable t : tables) {
                    if (t.file() == f) {
                        for (int i = 0; i < t.cases().size(); i++) {
                            st.addBatch("INSERT INTO " + db + "." + t.name() + " (id, v) VALUES (" + (i + 1) + ", "
                                    + t.cases().get(i).sql() + ")");
                        }
                    }
                }
                st.executeBatch();
                c.commit();
            }
        }
    }
}
